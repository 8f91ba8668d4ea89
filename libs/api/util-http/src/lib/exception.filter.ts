import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import {
  CodeMinor,
  OneRosterError,
  ServerBusyError,
} from '@oneroster/util-oneroster-query';
import { errorPayload } from './status-payload';

/**
 * The one place errors become responses. Rules enforced:
 * - a OneRosterError keeps its HTTP status and codeMinor;
 * - Nest/Express HTTP errors (unknown route, malformed JSON, body too large) become the
 *   OneRoster payload with the nearest codeMinor;
 * - a lost database connection answers 503 server_busy;
 * - anything else is a 500 internal_server_error with a generic description: no stack
 *   trace or internal message ever reaches the client (it is logged instead).
 */
const BY_STATUS: Record<number, CodeMinor> = {
  400: 'invaliddata',
  401: 'unauthorisedrequest',
  403: 'forbidden',
  404: 'unknownobject',
  405: 'unknownobject',
  413: 'invaliddata',
  415: 'invaliddata',
  422: 'invaliddata',
  429: 'server_busy',
  503: 'server_busy',
};

const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'PROTOCOL_CONNECTION_LOST',
  'ETIMEDOUT',
  'ECONNRESET',
  'ER_CON_COUNT_ERROR',
  'EPIPE',
]);

function isConnectionError(err: unknown): boolean {
  const e = err as {
    code?: string;
    driverError?: { code?: string };
    message?: string;
  } | null;
  const code = e?.code ?? e?.driverError?.code;
  return (
    (code !== undefined && CONNECTION_ERRORS.has(code)) ||
    /connection (is in closed state|lost)|pool is closed/i.test(
      e?.message ?? '',
    )
  );
}

@Catch()
export class OneRosterExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('OneRosterExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (exception instanceof OneRosterError) {
      if (exception instanceof ServerBusyError)
        res.setHeader('Retry-After', String(exception.retryAfterSeconds));
      if (exception.httpStatus === 401)
        res.setHeader('WWW-Authenticate', 'Bearer');
      res
        .status(exception.httpStatus)
        .json(errorPayload(exception.codeMinor, exception.description));
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const minor =
        BY_STATUS[status] ??
        (status >= 500 ? 'internal_server_error' : 'invaliddata');
      const description =
        status === 404
          ? 'Unknown object: no such endpoint'
          : status >= 500
            ? 'Internal server error'
            : exception.message;
      res.status(status).json(errorPayload(minor, description));
      return;
    }
    if (isConnectionError(exception)) {
      this.logger.warn(`Database unavailable: ${(exception as Error).message}`);
      res.setHeader('Retry-After', '5');
      res
        .status(503)
        .json(
          errorPayload(
            'server_busy',
            'The service is temporarily unavailable; retry shortly',
          ),
        );
      return;
    }
    this.logger.error(
      exception instanceof Error ? exception.stack : String(exception),
    );
    res
      .status(500)
      .json(errorPayload('internal_server_error', 'Internal server error'));
  }
}
