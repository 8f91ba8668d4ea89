export * from './lib/portal-settings';
export * from './lib/portal.module';
export * from './lib/mount-portal';
export {
  PortalExceptionFilter,
  toPortalError,
} from './lib/portal-exception.filter';
