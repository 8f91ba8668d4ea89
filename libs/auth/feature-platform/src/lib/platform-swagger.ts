import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';

export const PLATFORM_BEARER = 'platform-token';

const ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    error: {
      type: 'string',
      enum: [
        'invalid_token',
        'insufficient_scope',
        'not_found',
        'invalid_request',
        'conflict',
        'payload_too_large',
        'unsupported_media_type',
        'too_many_imports',
      ],
    },
    message: { type: 'string' },
    fields: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

const ERRORS: [number, string][] = [
  [400, 'invalid_request: a bad body or query (`fields` says what is wrong)'],
  [
    401,
    'invalid_token: no token, an invalid or expired one, one for another audience, or a revoked credential',
  ],
  [403, "insufficient_scope: the token lacks the route's platform scope"],
  [
    404,
    'not_found: unknown, or of another integrator or school (the same answer)',
  ],
];

/** A platform route: its tag, the bearer token and the PlatformError answers. */
export const PlatformApi = (tag: string, scope: string) =>
  applyDecorators(
    ApiTags(tag),
    ApiBearerAuth(PLATFORM_BEARER),
    ...ERRORS.map(([status, description]) =>
      ApiResponse({
        status,
        description:
          status === 403 ? `${description} (\`${scope}\`)` : description,
        schema: ERROR_SCHEMA,
      }),
    ),
  );
