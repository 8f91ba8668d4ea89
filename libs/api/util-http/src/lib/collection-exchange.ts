import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  CheckedQuery,
  CheckedSingleQuery,
  FieldCatalogue,
  RawQuery,
  checkQuery,
  checkSingleQuery,
  parseCollectionQuery,
  parseSingleQuery,
} from '@oneroster/util-oneroster-query';
import { PagingQuery, setPagingHeaders } from './paging';
import { limitWriteIdle } from './write-idle';

/**
 * A collection's OneRoster query (limit, offset, sort, orderBy, filter, fields), parsed and
 * checked against the resource's fields when the request arrives: unknown sort or fields
 * become warnings; a malformed parameter, an unknown filter field or blank fields are a
 * refusal (400). `checked()` gives the query or throws the refusal. A relationship route
 * asks for it once its parent is known to exist, so that an unknown parent answers 404
 * whatever the query.
 */
export class RequestedQuery {
  private constructor(
    private readonly query: CheckedQuery | null,
    private readonly refusal: unknown,
  ) {}

  static of(raw: RawQuery, catalogue: FieldCatalogue): RequestedQuery {
    try {
      return new RequestedQuery(
        checkQuery(parseCollectionQuery(raw), catalogue),
        null,
      );
    } catch (refusal) {
      return new RequestedQuery(null, refusal);
    }
  }

  /** The query `check` gives, or its refusal (for query rules other than 1.1's). */
  static checking(check: () => CheckedQuery): RequestedQuery {
    try {
      return new RequestedQuery(check(), null);
    } catch (refusal) {
      return new RequestedQuery(null, refusal);
    }
  }

  checked(): CheckedQuery {
    if (this.query === null) throw this.refusal;
    return this.query;
  }
}

/** The request's collection query for a resource's fields (`RequestedQuery`). */
export const OneRosterQuery = createParamDecorator(
  (catalogue: FieldCatalogue, ctx: ExecutionContext): RequestedQuery =>
    RequestedQuery.of(
      ctx.switchToHttp().getRequest<Request>().query,
      catalogue,
    ),
);

/**
 * The query of a single-object read (`fields`), parsed and checked as a collection's is:
 * blank answers 400, unknown fields become a warning and every field is returned.
 */
export const OneRosterSingleQuery = createParamDecorator(
  (catalogue: FieldCatalogue, ctx: ExecutionContext): CheckedSingleQuery =>
    checkSingleQuery(
      parseSingleQuery(ctx.switchToHttp().getRequest<Request>().query),
      catalogue,
    ),
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
