/**
 * What a portal operation refuses, as a typed error the HTTP layer maps to a `PortalError`
 * once (feature-portal's exception filter). Services never throw HTTP exceptions.
 */
export type PortalProblemCode =
  | 'not_signed_in'
  | 'forbidden'
  | 'not_found'
  | 'invalid_request'
  | 'conflict'
  | 'csrf'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'too_many_imports';

const STATUS: Record<PortalProblemCode, number> = {
  not_signed_in: 401,
  forbidden: 403,
  not_found: 404,
  invalid_request: 400,
  conflict: 409,
  csrf: 403,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_imports: 429,
};

export class PortalProblem extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: PortalProblemCode,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'PortalProblem';
    this.statusCode = STATUS[code];
  }
}

export const notFound = (what: string) =>
  new PortalProblem('not_found', `${what} not found`);
export const forbidden = (message = 'your account may not do this') =>
  new PortalProblem('forbidden', message);
export const conflict = (message: string) =>
  new PortalProblem('conflict', message);
export const invalid = (fields: Record<string, string>) =>
  new PortalProblem(
    'invalid_request',
    `invalid request: ${Object.entries(fields)
      .map(([k, v]) => `${k} ${v}`)
      .join('; ')}`,
    fields,
  );

/**
 * True for a duplicate-key error of SQLite or MySQL/MariaDB, or an InnoDB deadlock between
 * two such inserts: both mean another request changed the same thing first.
 */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; message?: string };
  return (
    e?.code === 'ER_DUP_ENTRY' ||
    e?.code === 'ER_LOCK_DEADLOCK' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed|Duplicate entry/i.test(e?.message ?? '')
  );
}
