import type { DatabaseConfig } from '@oneroster/config';

export const PORTAL_SETTINGS = Symbol('PORTAL_SETTINGS');

/** What the portal's backend needs to know about its surroundings. */
export interface PortalSettings {
  /** The admin portal's public URL: the browser's origin, and the base of the callback. */
  adminPublicUrl: string;
  /** This server's issuer (the BFF signs in against it). */
  issuer: string;
  /** The platform API's resource indicator (default: `/platform/v1` at the issuer's origin). */
  platformAudience?: string;
  /**
   * Accept http webhook URLs on a loopback host (WEBHOOK_ALLOW_LOOPBACK_HTTP, development
   * only): the same rule as the platform API's.
   */
  webhookAllowLoopbackHttp?: boolean;
  /** Accept private webhook targets (WEBHOOK_ALLOW_PRIVATE_TARGETS): the platform's rule. */
  webhookAllowPrivateTargets?: boolean;
  /** The OneRoster API's public URL (its Swagger UI is at `/docs`). */
  apiPublicUrl: string;
  /** The sandbox clients' shared secret in demo mode; null otherwise. */
  demoClientSecret: string | null;
  /** Absolute lifetime of a portal session, in hours (default 12: SESSION_MAX_MS). */
  sessionMaxHours?: number;
  /** Largest CSV zip accepted (bytes). */
  maxUploadBytes: number;
  /** Largest total of bytes an uploaded zip may inflate to (default 2 GiB; CSV_MAX_INFLATED_MB). */
  maxInflatedBytes?: number;
  /** Imports a school may have queued, running or arriving at once (default 3; CSV_MAX_QUEUED_IMPORTS). */
  maxQueuedImportsPerSchool?: number;
  /**
   * Where uploads are kept until their import job takes them (default: the temp folder);
   * with `importQueue`, a folder every instance reads (CSV_UPLOAD_DIR).
   */
  uploadDir?: string;
  /** Imports go to the BullMQ queue in this Redis (REDIS_URL), shared by every instance. */
  importQueue?: { redisUrl: string; prefix: string };
  /**
   * The database, for imports to get a connection of their own on an SQLite file: SQLite has
   * one connection per DataSource, and an import's long transaction on the app's connection
   * would swallow every other request's writes. With WAL, other writers wait for it instead.
   */
  database?: DatabaseConfig;
}

export { DEFAULT_MAX_UPLOAD_BYTES } from '@oneroster/data-access-portal';
