import { applyDecorators } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';

const ERRORS: [number, string][] = [
  [400, 'invalid_request: a bad body or query (`fields` says what is wrong)'],
  [401, 'not_signed_in: no live portal session'],
  [403, 'forbidden (the role is missing) or csrf (X-CSRF-Token / Origin)'],
  [404, 'not_found: unknown, or of another school or integrator'],
  [409, 'conflict: the change does not fit the current state'],
];

const PORTAL_ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    message: { type: 'string' },
    fields: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

/** The portal's Swagger tag and the PortalError answers every portal route may give. */
export const PortalApi = () =>
  applyDecorators(
    ApiTags('portal'),
    ...ERRORS.map(([status, description]) =>
      ApiResponse({ status, description, schema: PORTAL_ERROR_SCHEMA }),
    ),
  );
