import { HttpErrorResponse } from '@angular/common/http';
import type { PortalError } from '@oneroster/contracts';

/**
 * Turns whatever a failed portal call produced into a `PortalError`. The portal API answers
 * errors in that shape; anything else (network failure, a proxy's HTML page, a time-out) gets
 * a code and a sentence of our own, so screens handle one kind of error.
 */
export function toPortalError(failure: unknown): PortalError {
  if (isPortalError(failure)) return failure;
  if (failure instanceof HttpErrorResponse) {
    if (isPortalError(failure.error)) return failure.error;
    if (failure.status === 0) {
      return {
        statusCode: 0,
        error: 'network',
        message:
          'The portal could not reach the server. Check your connection and try again.',
      };
    }
    return {
      statusCode: failure.status,
      error: codeFor(failure.status),
      message: `The server answered ${failure.status}${failure.statusText ? ` ${failure.statusText}` : ''}.`,
    };
  }
  return {
    statusCode: 0,
    error: 'unexpected',
    message:
      failure instanceof Error ? failure.message : 'Something went wrong.',
  };
}

export function isPortalError(value: unknown): value is PortalError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['statusCode'] === 'number' &&
    typeof v['error'] === 'string' &&
    typeof v['message'] === 'string'
  );
}

function codeFor(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request';
    case 401:
      return 'not_signed_in';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 413:
      return 'too_large';
    default:
      return status >= 500 ? 'server_error' : 'http_error';
  }
}
