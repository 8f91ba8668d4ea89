import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { PlatformConfig } from '@oneroster/config';
import { ALL_ONEROSTER_SCOPES, SCOPE_DESCRIPTIONS } from '@oneroster/contracts';
import {
  OAUTH_SCHEME,
  addErrorExamples,
} from '@oneroster/util-oneroster-openapi';
import { API_VERSION } from './version';

export const API_DESCRIPTION = `OneRoster 1.1 (1EdTech) REST API: rostering, gradebook and resources of the schools that
approved your application. Authenticate with an OAuth 2.0 client-credentials access token
(HTTP Basic client authentication at the token endpoint); every response is limited to the
schools your token names. Errors are OneRoster status payloads (imsx_codeMajor,
imsx_severity, imsx_description, imsx_CodeMinor).`;

/** The API's OpenAPI document (served at /docs-json, committed as apps/api/openapi.json). */
export function buildOpenApi(
  app: INestApplication,
  config: PlatformConfig,
): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('OneRoster 1.1 API')
    .setDescription(API_DESCRIPTION)
    .setVersion(API_VERSION)
    .addServer(config.apiPublicUrl)
    .addOAuth2(
      {
        type: 'oauth2',
        description:
          'OAuth 2.0 client credentials; request the OneRoster scopes your school approved.',
        flows: {
          clientCredentials: {
            tokenUrl: `${config.tokens.issuer}/token`,
            scopes: Object.fromEntries(
              ALL_ONEROSTER_SCOPES.map((s) => [s, SCOPE_DESCRIPTIONS[s]]),
            ),
          },
        },
      },
      OAUTH_SCHEME,
    );
  return addErrorExamples(SwaggerModule.createDocument(app, builder.build()));
}
