import {
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, Observable, switchMap } from 'rxjs';
import { ServerBusyError } from '@oneroster/util-oneroster-query';
import type { Principal } from './principal';
import { pageRecords } from './paging';
import { ApiRateLimiter } from './rate-limit';
import { ApiUsageSink } from './usage';

/**
 * Runs after the guard, on requests that carry a verified token (public routes have none).
 * Rules enforced:
 * - the client's rate limit first: over it, 429 `server_busy` with `Retry-After` and nothing
 *   else happens (not counted as usage, the handler never runs);
 * - `RateLimit-Limit`, `RateLimit-Remaining` (0 on a 429) and `RateLimit-Reset` (seconds
 *   until the whole limit is back, never less than `Retry-After`) on every limited response;
 * - then one usage count per school the token may read, integrator and route template
 *   (`/ims/oneroster/v1p1/classes/{id}`: the template, never the ids);
 * - and once a successful GET was sent in full (`finish`; a response cut short counts no
 *   records), the records it answered with: a collection page's objects (`min(limit,
 *   total − offset)`, 1.1 §3.4.1 paging), one for a single object, none otherwise.
 */
@Injectable()
export class ApiTrafficInterceptor implements NestInterceptor {
  constructor(
    private readonly limiter: ApiRateLimiter,
    private readonly usage: ApiUsageSink,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { user?: Principal }>();
    const principal = req.user;
    if (!principal) return next.handle();
    const admit = async () => {
      if (principal.clientId && this.limiter.perMinute > 0) {
        const verdict = await this.limiter.hit(principal.clientId);
        if (verdict.limit > 0) {
          const res = http.getResponse<Response>();
          res.setHeader('RateLimit-Limit', String(verdict.limit));
          res.setHeader('RateLimit-Remaining', String(verdict.remaining));
          res.setHeader('RateLimit-Reset', String(verdict.resetSeconds));
        }
        if (!verdict.allowed)
          throw new ServerBusyError(
            `Rate limit exceeded: ${verdict.limit} requests a minute per client; retry after ${verdict.retryAfterSeconds} s`,
            verdict.retryAfterSeconds,
          );
      }
      const route = routeTemplate(req);
      this.usage.count(principal.schoolIds, principal.integratorId, route);
      if (req.method !== 'GET') return;
      const res = http.getResponse<Response>();
      res.once('finish', () => {
        if (res.statusCode !== 200) return;
        const records = pageRecords(res) ?? (route.endsWith('}') ? 1 : 0);
        if (records > 0)
          this.usage.countRecords(
            principal.schoolIds,
            principal.integratorId,
            route,
            records,
          );
      });
    };
    return from(admit()).pipe(switchMap(() => next.handle()));
  }
}

/** `/classes/:id` → `/classes/{id}`, as the OpenAPI document names it. */
export function routeTemplate(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  const template =
    typeof path === 'string' ? path : req.baseUrl + (req.path ?? '');
  return template.replace(/:([A-Za-z0-9_]+)/g, '{$1}').slice(0, 255);
}
