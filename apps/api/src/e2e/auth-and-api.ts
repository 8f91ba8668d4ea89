import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DatabaseConfig, loadConfig } from '@oneroster/config';
import { DatabaseModule } from '@oneroster/database';
// The real authorization server, composed here so the API is tested against the tokens it
// issues (apps may not import each other; these tests deliberately span both).
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  mountOidc,
  OidcModule,
  OidcSettings,
  oidcSettingsFrom,
} from '@oneroster/feature-oidc';
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  DEFAULT_MAX_UPLOAD_BYTES,
  mountPortal,
  PortalModule,
} from '@oneroster/feature-portal';
import { AppModule, AppOptions } from '../app/app.module';
import { configureApp } from '../app/configure';
import { freePort } from '@oneroster/testing-browser';

/** The audience the API and its tokens agree on in these tests. */
export const AUDIENCE = 'http://api.test';

export interface AuthAndApi {
  auth: INestApplication;
  authUrl: string;
  api: INestApplication;
  apiUrl: string;
  issuer: string;
  close(): Promise<void>;
}

export interface AuthAndApiOptions {
  /** Also serve the portal's backend (`/portal`) on the auth server. */
  portal?: boolean;
  /** The API's own options (e.g. a longer approval cache). */
  api?: AppOptions;
}

/**
 * Starts the authorization server (oidc-provider at `/oidc`, and the portal's backend when
 * asked) and the API on one database, the API checking tokens against that server's JWKS.
 * `env` adds configuration variables; `settings` adjusts the auth server's settings.
 */
export async function startAuthAndApi(
  database: DatabaseConfig,
  env: Record<string, string> = {},
  settings: (s: OidcSettings) => OidcSettings = (s) => s,
  options: AuthAndApiOptions = {},
): Promise<AuthAndApi> {
  const authPort = await freePort();
  const config = loadConfig({
    AUTH_PUBLIC_URL: `http://127.0.0.1:${authPort}`,
    API_PUBLIC_URL: AUDIENCE,
    ...env,
  });
  const authRef = await Test.createTestingModule({
    imports: [
      DatabaseModule.forRoot(database),
      OidcModule.register(settings(oidcSettingsFrom(config))),
      ...(options.portal
        ? [
            PortalModule.register({
              adminPublicUrl: config.adminPublicUrl,
              issuer: config.tokens.issuer,
              apiPublicUrl: config.apiPublicUrl,
              demoClientSecret: null,
              maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
              database,
            }),
          ]
        : []),
    ],
  }).compile();
  const auth = authRef.createNestApplication({ logger: ['error'] });
  mountOidc(auth);
  if (options.portal) mountPortal(auth);
  await auth.listen(authPort, '127.0.0.1');
  const apiRef = await Test.createTestingModule({
    imports: [AppModule.register({ ...config, database }, options.api)],
  }).compile();
  const api = apiRef.createNestApplication({ logger: ['error'] });
  configureApp(api, config);
  await api.listen(0, '127.0.0.1');
  return {
    auth,
    authUrl: `http://127.0.0.1:${authPort}`,
    api,
    apiUrl: (await api.getUrl()).replace('[::1]', '127.0.0.1'),
    issuer: config.tokens.issuer,
    close: async () => {
      await api.close();
      await auth.close();
    },
  };
}
