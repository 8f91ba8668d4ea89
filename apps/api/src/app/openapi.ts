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
  V1P2_GRADEBOOK_ROUTES,
  acceptedScopes,
  v1p2RosteringSchemas,
  v1p2ServiceSchemas,
} from '@oneroster/feature-rostering-v1p2';
import { V1P2_BASE_PATHS } from '@oneroster/oneroster-catalogue';
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
  // A school approves data categories; the authorization server grants their 1.1 and 1.2
  // scopes, and each 1.2 route accepts either.
  const scopes = [
    ...ALL_ONEROSTER_SCOPES.filter(rostering).map((s) => [
      s,
      `${SCOPE_DESCRIPTIONS[s]} (OneRoster 1.1 scope; accepted by the 1.2 routes)`,
    ]),
    ...ALL_ONEROSTER_V1P2_SCOPES.filter(rostering).map((s) => [
      s,
      `OneRoster 1.2 scope (${DATA_CATEGORIES[dataCategoryOf(s) as DataCategoryKey].label})`,
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
          'OAuth 2.0 client credentials; request the OneRoster scopes (1.1 or 1.2) your school approved, or none for all of them: a 1.2 route accepts its 1.2 scopes and their 1.1 counterparts.',
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

type ServiceV1p2 = 'gradebook' | 'resources';

export const V1P2_SERVICE_DESCRIPTIONS: Readonly<Record<ServiceV1p2, string>> =
  {
    gradebook: `OneRoster 1.2 (1EdTech) gradebook service of the schools that approved your application:
categories, line items and results (the same data as the OneRoster 1.1 API's gradebook, /docs),
and score scales, assessment line items and assessment results (stored as 1.2). Read, PUT
(201 when it creates, 200 when it replaces, both without a body) and DELETE (204); the POSTs
that let the service allocate sourcedIds are documented as the 1.2 binding defines them and
say whether they are served. Authenticate with an OAuth 2.0 client-credentials access token;
each route accepts its OneRoster 1.2 scopes or their 1.1 counterparts (the same data
category); the assessment scopes are 1.2 only, granted where a school's approval lists them.
Booleans are the strings "true"/"false"; an unknown fields, filter or sort field is a 400.
Errors are OneRoster 1.2 status payloads (imsx_codeMajor, imsx_severity, imsx_description,
imsx_CodeMinor); an operation the service does not support answers 501 with imsx_codeMajor
"unsupported".`,
    resources: `OneRoster 1.2 (1EdTech) resources service of the schools that approved your application:
resources, and the resources of a class or a course (the same data as the OneRoster 1.1 API's
resources, /docs). Authenticate with an OAuth 2.0 client-credentials access token; each route
accepts its OneRoster 1.2 scopes or their 1.1 counterparts (the same data category). Errors
are OneRoster 1.2 status payloads (imsx_codeMajor, imsx_severity, imsx_description,
imsx_CodeMinor); an operation the service does not support answers 501 with imsx_codeMajor
"unsupported".`,
  };

/**
 * The OneRoster 1.2 gradebook or resources service's OpenAPI document (served at
 * /docs-v1p2-{service}-json, committed as apps/api/openapi-{service}-v1p2.json): the routes
 * of the checklist for that service, their schemas from the 1.2 catalogue, and the OAuth2
 * client-credentials scheme of the same authorization server as the other documents, with
 * every scope (either version) one of its routes accepts.
 */
export function buildServiceV1p2OpenApi(
  app: INestApplication,
  config: PlatformConfig,
  service: ServiceV1p2,
): OpenAPIObject {
  const routes = V1P2_GRADEBOOK_ROUTES.filter((r) => r.service === service);
  const accepted = new Set(routes.flatMap(acceptedScopes));
  const scopes = [
    ...ALL_ONEROSTER_SCOPES.filter((s) => accepted.has(s)).map((s) => [
      s,
      `${SCOPE_DESCRIPTIONS[s]} (OneRoster 1.1 scope; accepted by the 1.2 routes)`,
    ]),
    ...ALL_ONEROSTER_V1P2_SCOPES.filter((s) => accepted.has(s)).map((s) => [
      s,
      `OneRoster 1.2 scope (${DATA_CATEGORIES[dataCategoryOf(s) as DataCategoryKey].label})`,
    ]),
  ];
  const title = `OneRoster 1.2 ${service} API`;
  const builder = new DocumentBuilder()
    .setTitle(title)
    .setDescription(V1P2_SERVICE_DESCRIPTIONS[service])
    .setVersion(API_VERSION)
    .addServer(config.apiPublicUrl)
    .addOAuth2(
      {
        type: 'oauth2',
        description:
          'OAuth 2.0 client credentials; request the OneRoster scopes (1.1 or 1.2) your school approved, or none for all of them: a 1.2 route accepts its 1.2 scopes and their 1.1 counterparts.',
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
    include: [GradebookV1p2Module],
  });
  // One module holds both services; each document keeps its own base path.
  const base = `${V1P2_BASE_PATHS[service]}/`;
  doc.paths = Object.fromEntries(
    Object.entries(doc.paths).filter(([path]) => path.startsWith(base)),
  );
  doc.components = {
    ...doc.components,
    schemas: {
      ...doc.components?.schemas,
      ...(v1p2ServiceSchemas(service) as NonNullable<
        OpenAPIObject['components']
      >['schemas']),
    },
  };
  return doc;
}
