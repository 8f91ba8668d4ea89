import type { DispatcherSettings } from '@oneroster/data-access-platform';

export const PLATFORM_SETTINGS = Symbol('PLATFORM_SETTINGS');

/** What the platform API needs to know about its surroundings. */
export interface PlatformSettings {
  /** The auth server's issuer (the `iss` of platform tokens). */
  issuer: string;
  /** The platform API's resource indicator (the `aud` of platform tokens). */
  audience: string;
  /** Where the token endpoint is (shown with issued credentials). */
  tokenEndpoint: string;
  /** Accept http webhook URLs on a loopback host, and loopback targets (development only). */
  allowLoopbackHttp: boolean;
  /** Deliver to private, link-local and unique-local addresses (on-premise receivers). */
  allowPrivateTargets?: boolean;
  /** The webhook dispatcher's timing. */
  dispatcher: Omit<DispatcherSettings, 'onError' | 'targets'>;
}
