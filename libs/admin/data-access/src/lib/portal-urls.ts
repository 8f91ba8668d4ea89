/**
 * Paths of the portal API (see `@oneroster/contracts` portal.ts). They are relative: the
 * portal's own server forwards `/portal/*` to the auth server, so the browser talks to one
 * origin and the session cookie stays first-party.
 */
const api = '/portal/api';
const e = encodeURIComponent;

export const portalUrls = {
  login: (returnTo: string) => `/portal/auth/login?returnTo=${e(returnTo)}`,
  logout: '/portal/auth/logout',
  me: `${api}/me`,
  myPassword: `${api}/me/password`,

  schoolApplications: (schoolId: string) =>
    `${api}/schools/${e(schoolId)}/applications`,
  schoolDecision: (
    schoolId: string,
    appId: string,
    decision: 'approve' | 'decline' | 'revoke',
  ) => `${api}/schools/${e(schoolId)}/applications/${e(appId)}/${decision}`,
  schoolAudit: (schoolId: string) => `${api}/schools/${e(schoolId)}/audit`,
  schoolHome: (schoolId: string) => `${api}/schools/${e(schoolId)}/home`,
  schoolUsage: (schoolId: string) => `${api}/schools/${e(schoolId)}/usage`,
  schoolUsageCsv: (schoolId: string, days: number) =>
    `${api}/schools/${e(schoolId)}/usage.csv?days=${days}`,
  schoolImports: (schoolId: string) => `${api}/schools/${e(schoolId)}/imports`,
  schoolImport: (schoolId: string, jobId: string) =>
    `${api}/schools/${e(schoolId)}/imports/${e(jobId)}`,
  schoolMisCredentials: (schoolId: string) =>
    `${api}/schools/${e(schoolId)}/mis-credentials`,
  schoolMisCredential: (schoolId: string, clientId: string) =>
    `${api}/schools/${e(schoolId)}/mis-credentials/${e(clientId)}`,

  directory: `${api}/schools/directory`,
  integratorApplications: (integratorId: string) =>
    `${api}/integrators/${e(integratorId)}/applications`,
  application: (appId: string) => `${api}/applications/${e(appId)}`,
  requestApproval: (appId: string, schoolId: string) =>
    `${api}/applications/${e(appId)}/schools/${e(schoolId)}/request`,
  credentials: (appId: string) => `${api}/applications/${e(appId)}/credentials`,
  rotateCredential: (clientId: string) =>
    `${api}/credentials/${e(clientId)}/rotate`,
  revokeCredential: (clientId: string) =>
    `${api}/credentials/${e(clientId)}/revoke`,
  sandbox: `${api}/sandbox`,
  integratorWebhooks: (integratorId: string) =>
    `${api}/integrators/${e(integratorId)}/webhooks`,
  webhook: (webhookId: string) => `${api}/webhooks/${e(webhookId)}`,
  webhookDeliveries: (webhookId: string) =>
    `${api}/webhooks/${e(webhookId)}/deliveries`,
  replayDelivery: (webhookId: string, deliveryId: string) =>
    `${api}/webhooks/${e(webhookId)}/deliveries/${e(deliveryId)}/replay`,

  receipt: (receiptId: string) => `${api}/receipts/${e(receiptId)}`,

  integrators: `${api}/integrators`,
  schools: `${api}/schools`,
  accounts: `${api}/accounts`,
  accountAction: (
    accountId: string,
    action: 'disable' | 'enable' | 'roles/remove' | 'reset-password',
  ) => `${api}/accounts/${e(accountId)}/${action}`,
  audit: `${api}/audit`,
} as const;
