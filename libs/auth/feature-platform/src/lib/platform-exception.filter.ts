import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import type { PlatformError } from '@oneroster/contracts';
import { PlatformProblem } from '@oneroster/data-access-platform';
import { PortalProblem } from '@oneroster/data-access-portal';

const CODE_BY_STATUS: Record<number, PlatformError['error']> = {
  400: 'invalid_request',
  401: 'invalid_token',
  403: 'insufficient_scope',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_imports',
};

/**
 * Maps anything a platform route throws to a `PlatformError`; never a stack trace. 401 and
 * 403 carry `WWW-Authenticate: Bearer` with the RFC 6750 error code.
 */
export function toPlatformError(err: unknown, logger?: Logger): PlatformError {
  if (err instanceof PlatformProblem)
    return {
      statusCode: err.statusCode,
      error: err.code,
      message: err.message,
      ...(err.fields ? { fields: err.fields } : {}),
    };
  if (err instanceof PortalProblem && CODE_BY_STATUS[err.statusCode])
    return {
      statusCode: err.statusCode,
      error: CODE_BY_STATUS[err.statusCode],
      message: err.message,
      ...(err.fields ? { fields: err.fields } : {}),
    };
  if (err instanceof HttpException && err.getStatus() < 500) {
    const status = err.getStatus();
    return {
      statusCode: status,
      error: CODE_BY_STATUS[status] ?? 'invalid_request',
      message: err.message,
    };
  }
  logger?.error(
    `platform request failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
  );
  return {
    statusCode: 500,
    error: 'server_error',
    message: 'the request could not be completed; try again later',
  };
}

export function sendPlatformError(res: Response, body: PlatformError): void {
  if (body.statusCode === 401 || body.statusCode === 403)
    res.setHeader(
      'WWW-Authenticate',
      `Bearer error="${body.error}", error_description="${body.message.replace(/"/g, "'")}"`,
    );
  res.status(body.statusCode).json(body);
}

@Catch()
export class PlatformExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('platform');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = toPlatformError(exception, this.logger);
    if (res.headersSent) {
      res.end();
      return;
    }
    sendPlatformError(res, body);
  }
}
