import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { PlatformConfig } from '@oneroster/config';
import {
  ALL_ONEROSTER_SCOPES,
  ALL_ONEROSTER_V1P2_SCOPES,
  DATA_CATEGORIES,
  type DataCategoryKey,
  SCOPE_DESCRIPTIONS,
  dataCategoryOf,
} from '@oneroster/contracts';
import {
  GradebookV1p2Module,
  RosteringV1p2Module,
  v1p2RosteringSchemas,
} from '@oneroster/feature-rostering-v1p2';
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
  // The 1.2 routes have a document of their own.
  const include = [...app.get(ModulesContainer).values()]
    .map((m) => m.metatype)
    .filter((m) => m !== RosteringV1p2Module && m !== GradebookV1p2Module);
  return addErrorExamples(
    SwaggerModule.createDocument(app, builder.build(), { include }),
  );
}

export const ROSTERING_V1P2_DESCRIPTION = `OneRoster 1.2 (1EdTech) rostering service, read-only, from the same data as the OneRoster
1.1 API (/docs): the schools, sessions, courses, classes, users, enrolments and demographics of
the schools that approved your application. Authenticate with an OAuth 2.0
client-credentials access token; each route accepts its OneRoster 1.2 scopes or their 1.1
counterparts (the same data category), so a token issued with 1.1 scopes reads 1.2 as well.
Booleans are the strings "true"/"false"; an unknown fields, filter or sort field is a 400.
Errors are OneRoster 1.2 status payloads (imsx_codeMajor, imsx_severity, imsx_description,
imsx_CodeMinor).`;

/**
 * The OneRoster 1.2 rostering service's OpenAPI document (served at /docs-v1p2-json,
 * committed as apps/api/openapi-rostering-v1p2.json); its schemas come from the 1.2 catalogue.
 */
export function buildRosteringV1p2OpenApi(
  app: INestApplication,
  config: PlatformConfig,
): OpenAPIObject {
  const rostering = (s: string) =>
    dataCategoryOf(s) === 'rosters' || dataCategoryOf(s) === 'demographics';
  // The authorization server issues the 1.1 scopes a school approved (approvals are still
  // given in 1.1 scopes); each 1.2 route accepts them as its own.
  const scopes = [
    ...ALL_ONEROSTER_SCOPES.filter(rostering).map((s) => [
      s,
      `${SCOPE_DESCRIPTIONS[s]} (OneRoster 1.1 scope, issued today; accepted by the 1.2 routes)`,
    ]),
    ...ALL_ONEROSTER_V1P2_SCOPES.filter(rostering).map((s) => [
      s,
      `OneRoster 1.2 scope (${DATA_CATEGORIES[dataCategoryOf(s) as DataCategoryKey].label}); accepted by the routes, not issued by this authorization server yet`,
    ]),
  ];
  const builder = new DocumentBuilder()
    .setTitle('OneRoster 1.2 rostering API')
    .setDescription(ROSTERING_V1P2_DESCRIPTION)
    .setVersion(API_VERSION)
    .addServer(config.apiPublicUrl)
    .addOAuth2(
      {
        type: 'oauth2',
        description:
          'OAuth 2.0 client credentials; request the OneRoster 1.1 scopes your school approved (or none, for all of them): the 1.2 routes accept them.',
        flows: {
          clientCredentials: {
            tokenUrl: `${config.tokens.issuer}/token`,
            scopes: Object.fromEntries(scopes),
          },
        },
      },
      OAUTH_SCHEME,
    );
  const doc = SwaggerModule.createDocument(app, builder.build(), {
    include: [RosteringV1p2Module],
  });
  doc.components = {
    ...doc.components,
    schemas: {
      ...doc.components?.schemas,
      ...(v1p2RosteringSchemas() as NonNullable<
        OpenAPIObject['components']
      >['schemas']),
    },
  };
  return doc;
}
