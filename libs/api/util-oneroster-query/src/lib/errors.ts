/**
 * Typed OneRoster errors (digest §4.3, §4.4). Code throws these; one exception filter turns
 * them into the OneRoster status payload and the HTTP status. Nothing else decides either.
 */
export type CodeMinor =
  | 'fullsuccess'
  | 'invalid_sort_field'
  | 'invalid_selection_field'
  | 'invalid_filter_field'
  | 'invalid_blank_selection_field'
  | 'invaliddata'
  | 'unauthorisedrequest'
  | 'forbidden'
  | 'unknownobject'
  | 'server_busy'
  | 'internal_server_error'
  | 'deletefailure';

export abstract class OneRosterError extends Error {
  abstract readonly httpStatus: number;
  abstract readonly codeMinor: CodeMinor;
  constructor(readonly description: string) {
    super(description);
    this.name = new.target.name;
  }
}

/** 400: a malformed query parameter or body (bad limit, unparsable filter, bad value). */
export class InvalidDataError extends OneRosterError {
  readonly httpStatus = 400;
  readonly codeMinor = 'invaliddata';
}

/** 400: the filter names a field the resource does not have (§3.2: no data is returned). */
export class InvalidFilterFieldError extends OneRosterError {
  readonly httpStatus = 400;
  readonly codeMinor = 'invalid_filter_field';
}

/** 400: `fields` was given but blank (§3.2). */
export class BlankSelectionFieldError extends OneRosterError {
  readonly httpStatus = 400;
  readonly codeMinor = 'invalid_blank_selection_field';
}

/** 401: no bearer token, or one that does not verify. */
export class UnauthorisedRequestError extends OneRosterError {
  readonly httpStatus = 401;
  readonly codeMinor = 'unauthorisedrequest';
}

/** 403: a valid token without the scope the endpoint needs. */
export class ForbiddenError extends OneRosterError {
  readonly httpStatus = 403;
  readonly codeMinor = 'forbidden';
}

/** 404: unknown sourcedId, another school's sourcedId, or the wrong subtype. */
export class UnknownObjectError extends OneRosterError {
  readonly httpStatus = 404;
  readonly codeMinor = 'unknownobject';
}

/** 422: a well-formed body whose content is wrong (bad enum, missing reference). */
export class UnprocessableDataError extends OneRosterError {
  readonly httpStatus = 422;
  readonly codeMinor = 'invaliddata';
}

/**
 * 413: a request carrying more than the service accepts at once (the OneRoster 1.2 POSTs'
 * element limit); codeMinor invaliddata, as for a body over the size limit.
 */
export class PayloadTooLargeError extends OneRosterError {
  readonly httpStatus = 413;
  readonly codeMinor = 'invaliddata';
}

/**
 * 501: an operation of the specification that this platform has nothing to serve or store
 * for (OneRoster 1.2 score scales, assessment line items and results). The 1.2 payload says
 * `imsx_codeMajor: unsupported`; the codeMinor is `invaliddata`, 1.2's vocabulary having no
 * closer value.
 */
export class UnsupportedOperationError extends OneRosterError {
  readonly httpStatus = 501;
  readonly codeMinor = 'invaliddata';
}

/** 429: too many requests. */
export class ServerBusyError extends OneRosterError {
  readonly httpStatus = 429;
  readonly codeMinor = 'server_busy';
  constructor(
    description: string,
    readonly retryAfterSeconds: number,
  ) {
    super(description);
  }
}

/**
 * 503: the server cannot take the request now (the database is unavailable, or the request
 * waited too long for capacity); the client may retry after `retryAfterSeconds`.
 */
export class ServiceUnavailableError extends OneRosterError {
  readonly httpStatus = 503;
  readonly codeMinor = 'server_busy';
  constructor(
    description: string,
    readonly retryAfterSeconds = 5,
  ) {
    super(description);
  }
}

/** A warning carried in a successful response's statusInfoSet (1.1 §3.2). */
export interface StatusWarning {
  codeMinor: 'invalid_sort_field' | 'invalid_selection_field';
  description: string;
}
