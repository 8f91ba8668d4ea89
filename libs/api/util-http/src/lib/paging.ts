import type { Request, Response } from 'express';
import { CollectionQuery, formatFilter } from '@oneroster/util-oneroster-query';

/**
 * Paging headers of a collection response: `X-Total-Count`, and a `Link` header (RFC 8288)
 * with first, prev, next and last. Rules enforced:
 * - links are built from the parsed, normalised query (limit, offset, sort, orderBy, filter,
 *   fields, in that order), never by echoing the request URL: parameters the API ignored or
 *   dropped (an unknown sort or selection field, anything it does not know) are not repeated,
 *   and the filter is written in its canonical form;
 * - the Link header is left out rather than made longer than MAX_LINK_HEADER bytes (a long
 *   filter times four links would pass the header limits of common HTTP clients);
 *   X-Total-Count is always sent, and a client can page with limit and offset alone.
 */
export const MAX_LINK_HEADER = 4096;

export type PagingQuery = Pick<
  CollectionQuery,
  'limit' | 'offset' | 'sort' | 'orderBy' | 'fields' | 'filter'
>;

export function setPagingHeaders(
  req: Request,
  res: Response,
  total: number,
  query: PagingQuery,
  publicBaseUrl: string,
): void {
  res.setHeader('X-Total-Count', String(total));
  const { limit, offset } = query;
  setPageRecords(res, Math.max(0, Math.min(limit, total - offset)));
  const path = new URL(req.originalUrl, publicBaseUrl);
  const base = `${path.origin}${path.pathname}`;
  const fixed = new URLSearchParams();
  if (query.sort) fixed.set('sort', query.sort);
  if (query.orderBy === 'desc') fixed.set('orderBy', 'desc');
  if (query.filter) fixed.set('filter', formatFilter(query.filter));
  if (query.fields) fixed.set('fields', query.fields.join(','));
  const rest = fixed.toString();
  const link = (rel: string, o: number) => {
    const head = new URLSearchParams({
      limit: String(limit),
      offset: String(o),
    }).toString();
    return `<${base}?${head}${rest ? `&${rest}` : ''}>; rel="${rel}"`;
  };
  const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links = [link('first', 0)];
  if (offset > 0)
    links.push(link('prev', Math.max(0, Math.min(offset - limit, lastOffset))));
  if (offset + limit < total) links.push(link('next', offset + limit));
  links.push(link('last', lastOffset));
  const header = links.join(', ');
  if (Buffer.byteLength(header) <= MAX_LINK_HEADER)
    res.setHeader('Link', header);
}

const PAGE_RECORDS = 'oneRosterPageRecords';

/** How many objects the page being written holds (for the usage statistics). */
export function setPageRecords(res: Response, records: number): void {
  res.locals[PAGE_RECORDS] = records;
}

/** What `setPageRecords` said for this response, if anything. */
export function pageRecords(res: Response): number | undefined {
  const n: unknown = res.locals?.[PAGE_RECORDS];
  return typeof n === 'number' ? n : undefined;
}
