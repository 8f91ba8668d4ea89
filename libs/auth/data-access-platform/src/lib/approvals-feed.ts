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
 * - stable order (updatedAt, then approval id), `limit` 1–1000 (default 100) and `offset`;
 * - scopes are those approved (empty unless approved); the receipt is the latest decision's.
 */
export async function listIntegratorApprovals(
  ds: DataSource,
  integratorId: string,
  query: Record<string, unknown>,
): Promise<PlatformPage<PlatformApprovalView>> {
  const { limit, offset } = pageOf(query);
  const fields: Record<string, string> = {};
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
  const rows = (await ds.query(
    `SELECT ap.id AS id, ap.application_id AS applicationId, a.name AS applicationName,
       ap.school_id AS schoolId, s.name AS schoolName, ap.status AS status,
       ap.scopes AS scopes, ap.requested_at AS requestedAt, ap.decided_at AS decidedAt,
       ${UPDATED} AS updatedAt
     ${from}
     ORDER BY updatedAt ASC, ap.id ASC LIMIT ? OFFSET ?`,
    [...params, limit, offset],
  )) as Record<string, unknown>[];
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
    offset,
  };
}
