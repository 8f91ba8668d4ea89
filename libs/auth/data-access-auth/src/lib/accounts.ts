import type { DataSource } from 'typeorm';
import { decodeBoolean, decodeStrings } from '@oneroster/database';

/**
 * Accounts as the sign-in pages and the OpenID Connect provider need them. Rules enforced:
 * - emails are matched case-insensitively (trimmed, lower case);
 * - a disabled account is never returned as active (its sessions and refresh tokens stop
 *   working: the provider cannot find the account any more);
 * - an account holding a one-time password says so (`mustChangePassword`): the sign-in
 *   pages ask for a new one before the sign-in completes;
 * - a user's approved schools are the schools where the account holds any role AND whose
 *   approval of the application is `approved`, with each approval's scopes.
 */
export interface SignInAccount {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string;
  disabled: boolean;
  mustChangePassword: boolean;
}

export interface ActiveAccount {
  id: string;
  email: string;
  displayName: string;
}

export interface ApprovedSchool {
  schoolId: string;
  scopes: string[];
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findAccountByEmail(
  dataSource: DataSource,
  email: string,
): Promise<SignInAccount | null> {
  const rows = (await dataSource.query(
    `SELECT id, email, display_name AS displayName, password_hash AS passwordHash,
            disabled, must_change_password AS mustChangePassword
     FROM accounts WHERE LOWER(email) = ?`,
    [normaliseEmail(email)],
  )) as (Omit<SignInAccount, 'disabled' | 'mustChangePassword'> & {
    disabled: unknown;
    mustChangePassword: unknown;
  })[];
  const row = rows[0];
  return row
    ? {
        ...row,
        disabled: decodeBoolean(row.disabled),
        mustChangePassword: decodeBoolean(row.mustChangePassword),
      }
    : null;
}

export async function findActiveAccount(
  dataSource: DataSource,
  id: string,
): Promise<ActiveAccount | null> {
  const rows = (await dataSource.query(
    `SELECT id, email, display_name AS displayName, disabled
     FROM accounts WHERE id = ?`,
    [id],
  )) as (ActiveAccount & { disabled: unknown })[];
  const row = rows[0];
  if (!row || decodeBoolean(row.disabled)) return null;
  return { id: row.id, email: row.email, displayName: row.displayName };
}

/** The account's schools that approve the application now, with the approved scopes. */
export async function approvedSchoolsOfAccount(
  dataSource: DataSource,
  accountId: string,
  applicationId: string,
): Promise<ApprovedSchool[]> {
  const rows = (await dataSource.query(
    `SELECT ap.school_id AS schoolId, ap.scopes AS scopes
     FROM approvals ap
     WHERE ap.application_id = ? AND ap.status = 'approved'
       AND EXISTS (SELECT 1 FROM account_school_roles r
                   WHERE r.account_id = ? AND r.school_id = ap.school_id)
     ORDER BY ap.school_id`,
    [applicationId, accountId],
  )) as { schoolId: string; scopes: string | null }[];
  return rows.map((r) => ({
    schoolId: r.schoolId,
    scopes: decodeStrings(r.scopes),
  }));
}
