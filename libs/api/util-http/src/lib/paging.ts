import type { Request, Response } from 'express';

/**
 * Paging headers of a collection response: `X-Total-Count`, and a `Link` header (RFC 8288)
 * with first, prev, next and last, each the request's own URL with only offset changed.
 */
export function setPagingHeaders(
  req: Request,
  res: Response,
  total: number,
  limit: number,
  offset: number,
  publicBaseUrl: string,
): void {
  res.setHeader('X-Total-Count', String(total));
  const url = new URL(req.originalUrl, publicBaseUrl);
  const link = (rel: string, o: number) => {
    url.searchParams.set('offset', String(o));
    url.searchParams.set('limit', String(limit));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links = [link('first', 0)];
  if (offset > 0)
    links.push(link('prev', Math.max(0, Math.min(offset - limit, lastOffset))));
  if (offset + limit < total) links.push(link('next', offset + limit));
  links.push(link('last', lastOffset));
  res.setHeader('Link', links.join(', '));
}
