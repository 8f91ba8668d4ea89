import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  BlankSelectionFieldError,
  CheckedQuery,
  FieldCatalogue,
  checkQuery,
  parseCollectionQuery,
} from '@oneroster/util-oneroster-query';
import { PagingQuery, setPagingHeaders } from './paging';
import { limitWriteIdle } from './write-idle';

/**
 * The OneRoster collection query of the request (limit, offset, sort, orderBy, filter,
 * fields), parsed and checked against the resource's fields: a malformed parameter, an
 * unknown filter field or blank fields answer 400; unknown sort or fields become warnings.
 */
export const OneRosterQuery = createParamDecorator(
  (catalogue: FieldCatalogue, ctx: ExecutionContext): CheckedQuery =>
    checkQuery(
      parseCollectionQuery(ctx.switchToHttp().getRequest<Request>().query),
      catalogue,
    ),
);

/**
 * The `fields` of a single-object read: null for every field (also when one is unknown);
 * blank answers 400.
 */
export const OneRosterFields = createParamDecorator(
  (catalogue: FieldCatalogue, ctx: ExecutionContext): string[] | null => {
    const raw = ctx.switchToHttp().getRequest<Request>().query['fields'];
    if (typeof raw !== 'string') return null;
    const fields = raw
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);
    if (fields.length === 0)
      throw new BlankSelectionFieldError('The fields parameter is blank');
    return fields.some((f) => !catalogue.selectable.has(f)) ? null : fields;
  },
);

/** What a collection read needs of the response it is written to, and nothing more. */
export interface ClientLink {
  /**
   * Fires once when the response closes or its connection does (a response queued behind
   * others pipelined on the connection may get no close of its own), also when either has
   * closed already.
   */
  onClose(listener: () => void): void;
  /** Fires when the response closes (at once when it has). */
  onResponseClose(listener: () => void): void;
  /** Cuts the response when its written bytes wait longer than this for the client. */
  limitWriteIdle(timeoutMs: number): void;
  /** X-Total-Count and Link headers of the page. */
  setPagingHeaders(total: number, query: PagingQuery, publicUrl: string): void;
}

export function clientLink(req: Request, res: Response): ClientLink {
  return {
    onClose(listener) {
      const socket = res.req?.socket;
      if (res.closed || res.destroyed || socket?.destroyed) {
        queueMicrotask(listener);
        return;
      }
      let fired = false;
      const fire = () => {
        if (fired) return;
        fired = true;
        res.off('close', fire);
        socket?.off('close', fire);
        listener();
      };
      res.once('close', fire);
      socket?.once('close', fire);
    },
    onResponseClose(listener) {
      if (res.closed) listener();
      else res.once('close', listener);
    },
    limitWriteIdle: (timeoutMs) => limitWriteIdle(res, timeoutMs),
    setPagingHeaders: (total, query, publicUrl) =>
      setPagingHeaders(req, res, total, query, publicUrl),
  };
}

/** The request's response as a `ClientLink` (the one place a collection touches it). */
export const Client = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): ClientLink =>
    clientLink(
      ctx.switchToHttp().getRequest<Request>(),
      ctx.switchToHttp().getResponse<Response>(),
    ),
);
