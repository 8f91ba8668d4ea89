import type { DataSource } from 'typeorm';
import {
  APPROVAL_STATUSES,
  type ApprovalStatus,
  type PlatformApprovalView,
  type PlatformPage,
} from '@oneroster/contracts';
import { decodeStrings, encodeInstant, instantText } from '@oneroster/database';
import { platformInvalid } from './errors';
import { pageOf } from './paging';

const UPDATED = `CASE WHEN ap.decided_at IS NOT NULL AND ap.decided_at > ap.requested_at
  THEN ap.decided_at ELSE ap.requested_at END`;

/**
 * The schools' decisions about an integrator's applications, for delta polling. Rules
 * enforced:
 * - only applications of `integratorId` (the token's integrator), never another's;
 * - `status` filters (one of pending, approved, declined, revoked); `updatedSince` (ISO 8601
 *   date-time) keeps decisions whose `updatedAt` is at or after it (inclusive, so a client
 *   passing the largest `updatedAt` it saw never misses a change made in the same
 *   millisecond; it may see that one again);
 * - stable order (updatedAt, then approval id), `limit` 1–1000 (default 100);
 * - keyset paging: `next` is an opaque cursor naming the page's last (updatedAt, id), or
 *   null on the last page; `cursor` continues after it (AND-ed with the filters, so it works
 *   with `updatedSince`), and never skips or repeats a row because rows were added or
 *   changed meanwhile, except that a decision changed meanwhile moves to the end (it is
 *   seen again there, as a delta feed should); `offset` paging stays for compatibility and
 *   cannot be combined with `cursor`; `total` counts the filtered rows, cursor aside;
 * - scopes are those approved (empty unless approved); the receipt is the latest decision's.
 */
export async function listIntegratorApprovals(
  ds: DataSource,
  integratorId: string,
  query: Record<string, unknown>,
): Promise<PlatformPage<PlatformApprovalView>> {
  const fields: Record<string, string> = {};
  const rawCursor = query['cursor'];
  const hasCursor = rawCursor !== undefined && rawCursor !== '';
  const hasOffset = query['offset'] !== undefined && query['offset'] !== '';
  const { limit, offset } = pageOf(query);
  const after = hasCursor ? decodeCursor(rawCursor) : null;
  if (hasCursor && !after)
    fields['cursor'] = 'must be a cursor from the `next` of an earlier page';
  else if (hasCursor && hasOffset)
    fields['cursor'] = 'cannot be combined with offset';
  const where = ['a.integrator_id = ?'];
  const params: unknown[] = [integratorId];
  const status = query['status'];
  if (status !== undefined && status !== '') {
    if (!(APPROVAL_STATUSES as readonly unknown[]).includes(status))
      fields['status'] = `must be one of ${APPROVAL_STATUSES.join(', ')}`;
    else {
      where.push('ap.status = ?');
      params.push(status);
    }
  }
  const since = query['updatedSince'];
  if (since !== undefined && since !== '') {
    const at = typeof since === 'string' ? new Date(since) : new Date(NaN);
    if (
      typeof since !== 'string' ||
      !/^\d{4}-\d\d-\d\dT/.test(since) ||
      Number.isNaN(at.getTime())
    )
      fields['updatedSince'] =
        'must be an ISO 8601 date-time, e.g. 2026-09-01T08:00:00.000Z';
    else {
      where.push(`${UPDATED} >= ?`);
      params.push(encodeInstant(at));
    }
  }
  if (Object.keys(fields).length) throw platformInvalid(fields);
  const from = `FROM approvals ap
    JOIN applications a ON a.id = ap.application_id
    LEFT JOIN schools s ON s.id = ap.school_id
    WHERE ${where.join(' AND ')}`;
  const [{ total }] = (await ds.query(
    `SELECT COUNT(*) AS total ${from}`,
    params,
  )) as { total: number | string }[];
  const keyset = after
    ? ` AND (${UPDATED} > ? OR (${UPDATED} = ? AND ap.id > ?))`
    : '';
  const keysetParams = after
    ? [after.updatedAt, after.updatedAt, after.id].map((v, i) =>
        i < 2 ? encodeInstant(new Date(v)) : v,
      )
    : [];
  // One row past the page tells whether there is a next one.
  const fetched = (await ds.query(
    `SELECT ap.id AS id, ap.application_id AS applicationId, a.name AS applicationName,
       ap.school_id AS schoolId, s.name AS schoolName, ap.status AS status,
       ap.scopes AS scopes, ap.requested_at AS requestedAt, ap.decided_at AS decidedAt,
       ${UPDATED} AS updatedAt
     ${from}${keyset}
     ORDER BY updatedAt ASC, ap.id ASC LIMIT ? OFFSET ?`,
    [...params, ...keysetParams, limit + 1, after ? 0 : offset],
  )) as Record<string, unknown>[];
  const rows = fetched.slice(0, limit);
  const last = rows[rows.length - 1];
  const next =
    fetched.length > limit && last
      ? encodeCursor(instantText(last['updatedAt']), last['id'] as string)
      : null;
  const ids = rows.map((r) => r['id'] as string);
  const receipts = ids.length
    ? ((await ds.query(
        `SELECT id, approval_id AS approvalId FROM approval_receipts
         WHERE approval_id IN (${ids.map(() => '?').join(', ')})
         ORDER BY decided_at ASC, id ASC`,
        ids,
      )) as { id: string; approvalId: string }[])
    : [];
  const latest = new Map(receipts.map((r) => [r.approvalId, r.id]));
  return {
    data: rows.map((r) => {
      const st = r['status'] as ApprovalStatus;
      return {
        applicationId: r['applicationId'] as string,
        applicationName: r['applicationName'] as string,
        schoolId: r['schoolId'] as string,
        schoolName: (r['schoolName'] as string | null) ?? null,
        status: st,
        scopes: st === 'approved' ? decodeStrings(r['scopes']) : [],
        requestedAt: instantText(r['requestedAt']),
        decidedAt: r['decidedAt'] ? instantText(r['decidedAt']) : null,
        updatedAt: instantText(r['updatedAt']),
        receiptId: latest.get(r['id'] as string) ?? null,
      };
    }),
    total: Number(total),
    limit,
    offset: after ? 0 : offset,
    next,
  };
}

/** The opaque cursor after (`updatedAt`, `id`): base64url of a JSON pair. */
function encodeCursor(updatedAt: string, id: string): string {
  return Buffer.from(JSON.stringify([updatedAt, id])).toString('base64url');
}

function decodeCursor(raw: unknown): { updatedAt: string; id: string } | null {
  if (typeof raw !== 'string' || raw.length > 512) return null;
  try {
    const value: unknown = JSON.parse(
      Buffer.from(raw, 'base64url').toString('utf8'),
    );
    if (
      !Array.isArray(value) ||
      value.length !== 2 ||
      typeof value[0] !== 'string' ||
      typeof value[1] !== 'string' ||
      !/^\d{4}-\d\d-\d\dT/.test(value[0]) ||
      Number.isNaN(new Date(value[0]).getTime())
    )
      return null;
    return { updatedAt: value[0], id: value[1] };
  } catch {
    return null;
  }
}
