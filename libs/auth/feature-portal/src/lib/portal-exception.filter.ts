import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { PortalError } from '@oneroster/contracts';
import { PortalProblem } from '@oneroster/data-access-portal';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request',
  401: 'not_signed_in',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** Maps anything a portal route throws to a `PortalError`; never a stack trace. */
export function toPortalError(err: unknown, logger?: Logger): PortalError {
  if (err instanceof PortalProblem)
    return {
      statusCode: err.statusCode,
      error: err.code,
      message: err.message,
      ...(err.fields ? { fields: err.fields } : {}),
    };
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const code =
      CODE_BY_STATUS[status] ??
      (status >= 500 ? 'server_error' : 'invalid_request');
    return { statusCode: status, error: code, message: err.message };
  }
  logger?.error(
    `portal request failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
  );
  return {
    statusCode: 500,
    error: 'server_error',
    message: 'the request could not be completed; try again later',
  };
}

@Catch()
export class PortalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('portal');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = toPortalError(exception, this.logger);
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(body.statusCode).json(body);
  }
}

/**
 * Global: requests under /portal that reach no portal controller (an unknown route, a
 * method the route lacks) still answer a `PortalError`; every other path keeps Nest's
 * default answer.
 */
@Catch()
export class PortalRoutesFilter extends BaseExceptionFilter {
  private readonly portal = new PortalExceptionFilter();

  override catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    if (host.getType() === 'http' && /^\/portal(\/|$)/.test(req?.path ?? ''))
      this.portal.catch(exception, host);
    else super.catch(exception, host);
  }
}
