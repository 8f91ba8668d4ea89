import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { toPortalError } from './portal-exception.filter';
import { PortalProblem } from '@oneroster/data-access-portal';

/** Largest JSON body of a portal API call. */
const MAX_JSON_BYTES = 256 * 1024;

/**
 * Parses JSON bodies of /portal requests itself, ahead of everything else (oidc-provider
 * is mounted before Nest's own body parsers), so that a malformed or oversized body gets a
 * `PortalError` like every other portal problem. Other bodies (the CSV zip upload) are left
 * unread for the route to stream.
 */
export function mountPortal(app: INestApplication): void {
  app.use('/portal', (req: Request, res: Response, next: NextFunction) => {
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    if (!/^application\/([a-z0-9.+-]*\+)?json\b/.test(type)) return next();
    const fail = (problem: PortalProblem) => {
      const body = toPortalError(problem);
      res.status(body.statusCode).json(body);
    };
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_JSON_BYTES)
      return fail(
        new PortalProblem('payload_too_large', 'the JSON body is too large'),
      );
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > MAX_JSON_BYTES) {
        failed = true;
        fail(
          new PortalProblem('payload_too_large', 'the JSON body is too large'),
        );
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (err) => {
      if (!failed) next(err);
      failed = true;
    });
    req.on('end', () => {
      if (failed) return;
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        (req as Request & { body: unknown }).body = text.trim()
          ? JSON.parse(text)
          : undefined;
      } catch {
        return fail(
          new PortalProblem('invalid_request', 'the body is not valid JSON', {
            body: 'must be valid JSON',
          }),
        );
      }
      // Tells Nest's (body-parser's) own JSON parser the body is read.
      (req as Request & { _body?: boolean })._body = true;
      next();
    });
  });
}
