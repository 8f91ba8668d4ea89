import type { PlatformError } from '@oneroster/contracts';

/**
 * What a platform API operation refuses, as a typed error the HTTP layer maps to a
 * `PlatformError` once (feature-platform's exception filter).
 */
export type PlatformProblemCode = PlatformError['error'];

const STATUS: Record<PlatformProblemCode, number> = {
  invalid_token: 401,
  insufficient_scope: 403,
  not_found: 404,
  invalid_request: 400,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_imports: 429,
  server_error: 500,
};

export class PlatformProblem extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: PlatformProblemCode,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'PlatformProblem';
    this.statusCode = STATUS[code];
  }
}

export const platformNotFound = (what: string) =>
  new PlatformProblem('not_found', `${what} not found`);

export const platformInvalid = (fields: Record<string, string>) =>
  new PlatformProblem(
    'invalid_request',
    `invalid request: ${Object.entries(fields)
      .map(([k, v]) => `${k} ${v}`)
      .join('; ')}`,
    fields,
  );
