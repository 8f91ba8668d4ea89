import type { DataSource } from 'typeorm';
import {
  PORTAL_CSRF_HEADER,
  PORTAL_SESSION_COOKIE,
} from '@oneroster/contracts';
import { PortalSessions } from '@oneroster/data-access-portal';
import { AccountEntity } from '@oneroster/entities';

/** A signed-in portal session as the browser holds it: the cookie and the CSRF token. */
export interface PortalSession {
  cookie: string;
  csrf: string;
}

export interface PortalResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** Opens a session for `email` through the real session service (as the callback does). */
export async function sessionFor(
  ds: DataSource,
  email: string,
): Promise<PortalSession> {
  const account = await ds
    .getRepository(AccountEntity)
    .findOneByOrFail({ email });
  const { cookie, csrfToken } = await new PortalSessions(ds).create(
    account.id,
    null,
  );
  return { cookie, csrf: csrfToken };
}

/**
 * The email of an account holding `role` at `schoolId` (read from the database, which is
 * the truth the portal checks).
 */
export async function emailWithRole(
  ds: DataSource,
  schoolId: string,
  role: string,
): Promise<string> {
  const rows: { email: string }[] = await ds.query(
    `SELECT a.email AS email FROM accounts a
     JOIN account_school_roles r ON r.account_id = a.id
     WHERE r.school_id = ? AND r.role = ? ORDER BY a.email`,
    [schoolId, role],
  );
  if (!rows[0]) throw new Error(`no ${role} at ${schoolId}`);
  return rows[0].email;
}

/** Calls the portal API as the browser does: cookie, CSRF header on writes, JSON body. */
export function portalClient(base: string) {
  return async function call<T = Record<string, unknown>>(
    session: PortalSession | null,
    method: string,
    path: string,
    body?: unknown,
    options: { headers?: Record<string, string>; csrf?: string | null } = {},
  ): Promise<PortalResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (session)
      headers['cookie'] =
        `${PORTAL_SESSION_COOKIE}=${encodeURIComponent(session.cookie)}`;
    const csrf = options.csrf === undefined ? session?.csrf : options.csrf;
    if (method !== 'GET' && csrf) headers[PORTAL_CSRF_HEADER] = csrf;
    let payload: string | Blob | undefined;
    if (Buffer.isBuffer(body)) payload = new Blob([new Uint8Array(body)]);
    else if (typeof body === 'string') {
      payload = body;
      headers['content-type'] ??= 'application/json';
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: payload,
      redirect: 'manual',
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: (text ? JSON.parse(text) : undefined) as T,
    };
  };
}
