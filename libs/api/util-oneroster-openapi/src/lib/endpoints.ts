import { Delete, HttpCode, Put, applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiQuery,
  ApiSecurity,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiServiceUnavailableResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ONEROSTER_SCOPES } from '@oneroster/contracts';
import { RequireScopes } from '@oneroster/util-http';
import { StatusInfoDto } from './dto';

/** Swagger and access metadata shared by the OneRoster endpoints. */
export const OAUTH_SCHEME = 'OAuth2';

type Type = abstract new (...args: never[]) => unknown;

const UNAVAILABLE = 'The database is unavailable; retry shortly';
/** Collections also wait for capacity (rows in flight, the client's large pages). */
const COLLECTION_UNAVAILABLE =
  'The database is unavailable, or the server is busy (the request waited longer than the queue timeout for capacity); retry after Retry-After seconds';

function common(
  summary: string,
  scopes: string[],
  envelope: Type,
  description?: string,
  unavailable = UNAVAILABLE,
) {
  const scopeText = `Scopes (any one): ${scopes.map((s) => s.split('/').pop()).join(', ')}`;
  return [
    RequireScopes(...scopes),
    ApiOperation({
      summary,
      description: description ? `${description} ${scopeText}` : scopeText,
    }),
    ApiSecurity(OAUTH_SCHEME, scopes),
    ApiOkResponse({ type: envelope }),
    ApiUnauthorizedResponse({
      type: StatusInfoDto,
      description: 'Missing, expired or invalid access token',
    }),
    ApiForbiddenResponse({
      type: StatusInfoDto,
      description: 'The token lacks the scope this endpoint needs',
    }),
    ApiTooManyRequestsResponse({
      type: StatusInfoDto,
      description: 'Rate limit reached; see Retry-After',
    }),
    ApiServiceUnavailableResponse({
      type: StatusInfoDto,
      description: unavailable,
    }),
  ];
}

export function CollectionEndpoint(
  summary: string,
  scopes: string[],
  envelope: Type,
  params: string[] = [],
  /** What the endpoint answers, where the name alone does not say (extensions). */
  description?: string,
) {
  return applyDecorators(
    ...common(summary, scopes, envelope, description, COLLECTION_UNAVAILABLE),
    ...params.map((name) =>
      ApiParam({
        name,
        description: `sourcedId of the ${name.replace(/SourcedId$/, '')}`,
      }),
    ),
    ApiQuery({
      name: 'limit',
      required: false,
      type: Number,
      description:
        'Page size: 1 to 10,000 (larger values are clamped), default 100. Pages above 500 are large pages: each client has only a few in flight at once (the server is configured with the number), more wait their turn',
    }),
    ApiQuery({
      name: 'offset',
      required: false,
      type: Number,
      description: 'Zero-based index of the first record, default 0',
    }),
    ApiQuery({
      name: 'sort',
      required: false,
      type: String,
      description:
        'Field to sort by (default: sourcedId). Unknown fields give a warning and the default order',
    }),
    ApiQuery({
      name: 'orderBy',
      required: false,
      enum: ['asc', 'desc'],
      description: 'Sort direction, default asc',
    }),
    ApiQuery({
      name: 'filter',
      required: false,
      type: String,
      description:
        "OneRoster filter, URL-encoded, e.g. `status='active' AND dateLastModified>'2026-09-01T00:00:00Z'`. Predicates = != > >= < <= ~ (contains, case-insensitive); AND binds tighter than OR. GUIDRef fields filter by sourcedId (`course.sourcedId='x'`), lists by any element (`grades='07'`).",
    }),
    ApiQuery({
      name: 'fields',
      required: false,
      type: String,
      description:
        'Comma-separated fields to return. Unknown fields give a warning and every field',
    }),
    ApiBadRequestResponse({
      type: StatusInfoDto,
      description: 'Malformed parameter, unknown filter field or blank fields',
    }),
    ...(params.length
      ? [
          ApiNotFoundResponse({
            type: StatusInfoDto,
            description: 'Unknown parent object',
          }),
        ]
      : []),
  );
}

export function SingleEndpoint(
  summary: string,
  scopes: string[],
  envelope: Type,
) {
  return applyDecorators(
    ...common(summary, scopes, envelope),
    ApiParam({ name: 'sourcedId', description: 'sourcedId of the object' }),
    ApiQuery({
      name: 'fields',
      required: false,
      type: String,
      description: 'Comma-separated fields to return',
    }),
    ApiNotFoundResponse({
      type: StatusInfoDto,
      description: 'Unknown object (also: another school’s, or the wrong kind)',
    }),
  );
}

const PUT = [ONEROSTER_SCOPES.gradebookCreatePut];
const DELETE = [ONEROSTER_SCOPES.gradebookDelete];

/** The refusals every gradebook write documents, after its own. */
const WRITE_REFUSALS = () => [
  ApiUnauthorizedResponse({ type: StatusInfoDto }),
  ApiForbiddenResponse({ type: StatusInfoDto }),
  ApiTooManyRequestsResponse({
    type: StatusInfoDto,
    description: 'Rate limit reached; see Retry-After',
  }),
  ApiServiceUnavailableResponse({
    type: StatusInfoDto,
    description: UNAVAILABLE,
  }),
];

/** PUT of a gradebook object: creates (201) or replaces (200). Scope: gradebook.createput. */
export function PutEndpoint(summary: string, envelope: Type) {
  return applyDecorators(
    Put(':sourcedId'),
    RequireScopes(...PUT),
    ApiOperation({
      summary,
      description:
        'Creates (201) or replaces (200) the object. Scope: gradebook.createput',
    }),
    ApiSecurity(OAUTH_SCHEME, PUT),
    ApiParam({
      name: 'sourcedId',
      description:
        'sourcedId of the object (the path wins; a body naming another is refused)',
    }),
    ApiBody({ type: envelope }),
    ApiCreatedResponse({ type: envelope, description: 'Created' }),
    ApiOkResponse({ type: envelope, description: 'Replaced' }),
    ApiBadRequestResponse({
      type: StatusInfoDto,
      description: 'Not a JSON object, or a body naming another sourcedId',
    }),
    ApiPayloadTooLargeResponse({
      type: StatusInfoDto,
      description: 'A body larger than 1 MB',
    }),
    ApiUnprocessableEntityResponse({
      type: StatusInfoDto,
      description:
        'Invalid content or a reference that does not exist in the school',
    }),
    ...WRITE_REFUSALS(),
  );
}

/** DELETE of a gradebook object: 204, then it answers 404. Scope: gradebook.delete. */
export function DeleteEndpoint(summary: string) {
  return applyDecorators(
    Delete(':sourcedId'),
    HttpCode(204),
    RequireScopes(...DELETE),
    ApiOperation({
      summary,
      description: 'Marks the object deleted. Scope: gradebook.delete',
    }),
    ApiSecurity(OAUTH_SCHEME, DELETE),
    ApiParam({ name: 'sourcedId' }),
    ApiNoContentResponse({ description: 'Deleted' }),
    ApiNotFoundResponse({ type: StatusInfoDto, description: 'Unknown object' }),
    ...WRITE_REFUSALS(),
  );
}
