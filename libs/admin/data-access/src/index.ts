export { toPortalError, isPortalError } from './lib/portal-error';
export { portalUrls } from './lib/portal-urls';
export {
  PortalSession,
  type SessionState,
  type PortalRoles,
} from './lib/portal-session';
export { portalInterceptor } from './lib/portal-interceptor';
export { PortalApi, type UploadProgress } from './lib/portal-api';
export {
  requireRole,
  requireSchoolAdmin,
  requireDeveloper,
  requireOperator,
  requireSignedIn,
} from './lib/role-guards';
export { BrowserLocation } from './lib/browser-location';
// Test builders (tree-shaken out of the app): answers of the portal API with defaults.
export { aPortalMe, anApplication, anApproval } from './lib/testing/builders';
export { valueOr } from './lib/value-or';
