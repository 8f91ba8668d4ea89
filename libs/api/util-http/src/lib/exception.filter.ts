import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  CodeMinor,
  OneRosterError,
  ServerBusyError,
  ServiceUnavailableError,
  UnsupportedOperationError,
} from '@oneroster/util-oneroster-query';
import { errorPayload, errorPayloadV1p2 } from './status-payload';

/**
 * The one place errors become responses. Rules enforced:
 * - a OneRosterError keeps its HTTP status and codeMinor;
 * - Nest/Express HTTP errors (unknown route, malformed JSON, body too large: 413) become
 *   the OneRoster payload with the nearest codeMinor and a description of our own;
 * - a lost database connection answers 503 server_busy; so does a request that waited too
 *   long for capacity (ServiceUnavailableError), both with Retry-After;
 * - a response whose client has gone is left alone (there is no one to answer);
 * - anything else is a 500 internal_server_error with a generic description: no stack
 *   trace or internal message ever reaches the client (it is logged instead);
 * - under a OneRoster 1.2 base path (`/ims/oneroster/{service}/v1p2`) the payload is the 1.2
 *   one (`errorPayloadV1p2`), unknown routes there included; everywhere else the 1.1 one.
 */
const V1P2_PATH = /^\/ims\/oneroster\/[A-Za-z]+\/v1p2(\/|$)/;
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
  // The server is shutting down, or killed this connection while it did.
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
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

/**
 * Errors of Express's body parsers (http-errors with `expose`): a 4xx about the request, told
 * in our words (the parser's own message may quote the body or its internals).
 */
const PARSER_ERRORS: Record<string, string> = {
  'entity.too.large': 'The request body is too large',
  'entity.parse.failed': 'The request body is not valid JSON',
  'entity.verify.failed': 'The request body was refused',
  'encoding.unsupported': 'The request body has an unsupported encoding',
  'charset.unsupported': 'The request body has an unsupported charset',
  'request.aborted': 'The request was aborted',
  'request.size.invalid': 'The request body does not match its Content-Length',
  'parameters.too.many': 'The request body has too many parameters',
};

function bodyParserError(
  err: unknown,
): { status: number; text: string } | null {
  const e = err as { type?: unknown; status?: unknown; expose?: unknown };
  if (typeof e?.type !== 'string' || typeof e.status !== 'number') return null;
  const text = PARSER_ERRORS[e.type];
  if (!text || e.status < 400 || e.status > 499) return null;
  return { status: e.status, text };
}

@Catch()
export class OneRosterExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('OneRosterExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent || res.destroyed) return;
    const path = host.switchToHttp().getRequest<Request>().path ?? '';
    const payload = V1P2_PATH.test(path) ? errorPayloadV1p2 : errorPayload;
    this.answer(exception, res, payload);
  }

  private answer(
    exception: unknown,
    res: Response,
    payload: (minor: CodeMinor, description: string) => object,
  ): void {
    if (exception instanceof OneRosterError) {
      if (
        exception instanceof ServerBusyError ||
        exception instanceof ServiceUnavailableError
      )
        res.setHeader('Retry-After', String(exception.retryAfterSeconds));
      if (exception.httpStatus === 401)
        res.setHeader('WWW-Authenticate', 'Bearer');
      const body = payload(exception.codeMinor, exception.description);
      // 1.2 has a codeMajor for it; the 1.1 payload stays a failure.
      if (
        exception instanceof UnsupportedOperationError &&
        payload === errorPayloadV1p2
      )
        Object.assign(body, { imsx_codeMajor: 'unsupported' });
      res.status(exception.httpStatus).json(body);
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
      res.status(status).json(payload(minor, description));
      return;
    }
    const parser = bodyParserError(exception);
    if (parser) {
      res.status(parser.status).json(payload('invaliddata', parser.text));
      return;
    }
    if (isConnectionError(exception)) {
      this.logger.warn(`Database unavailable: ${(exception as Error).message}`);
      res.setHeader('Retry-After', '5');
      res
        .status(503)
        .json(
          payload(
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
      .json(payload('internal_server_error', 'Internal server error'));
  }
}
