import { DataSource } from 'typeorm';

/**
 * An OAuth client as the provider needs it (secret hashes included): a client-credentials
 * client of one school, or (`schoolId` null) the application's OpenID Connect client.
 */
export interface StoredClient {
  clientId: string;
  applicationId: string;
  applicationName: string;
  integratorId: string;
  /** Null for the application's OpenID Connect (user sign-in) client. */
  schoolId: string | null;
  /** The application's registered redirect URIs (used by its OpenID Connect client). */
  redirectUris: string[];
  secretHash: string;
  previousSecretHash: string | null;
  previousSecretExpiresAt: Date | null;
  /** The school's approval of the client's application: status (null: none) and scopes. */
  approvalStatus: string | null;
  approvedScopes: string[];
}

const CLIENT_SQL = `
SELECT c.client_id AS clientId, c.application_id AS applicationId,
       a.name AS applicationName,
       a.integrator_id AS integratorId, c.school_id AS schoolId,
       c.secret_hash AS secretHash, c.previous_secret_hash AS previousSecretHash,
       c.previous_secret_expires_at AS previousSecretExpiresAt,
       ap.status AS approvalStatus, ap.scopes AS approvedScopes,
       a.redirect_uris AS redirectUris
FROM oauth_clients c
JOIN applications a ON a.id = c.application_id
LEFT JOIN approvals ap ON ap.application_id = c.application_id AND ap.school_id = c.school_id
WHERE c.client_id = ? AND c.revoked_at IS NULL`;

/**
 * Reads `oauth_clients` (with the application's integrator and the school's approval, in one
 * query) for client authentication and token issuance. A revoked client is not found, so it
 * fails as an unknown client would; approved scopes are empty unless the status is `approved`
 * (and always for an OpenID Connect client, which has no school).
 */
export async function findStoredClient(
  dataSource: DataSource,
  clientId: string,
): Promise<StoredClient | null> {
  // Plain SQL (valid on SQLite and MySQL/MariaDB): this runs for every token request, and
  // building it through the query builder cost more than executing it.
  const rows = (await dataSource.query(CLIENT_SQL, [clientId])) as (Omit<
    StoredClient,
    'previousSecretExpiresAt' | 'approvedScopes' | 'redirectUris'
  > & {
    previousSecretExpiresAt: Date | string | null;
    approvedScopes: string | null;
    redirectUris: string | null;
  })[];
  const row = rows[0];
  if (!row) return null;
  const expires = row.previousSecretExpiresAt;
  const approved = row.approvalStatus === 'approved';
  return {
    ...row,
    approvalStatus: row.approvalStatus ?? null,
    schoolId: row.schoolId ?? null,
    approvedScopes:
      approved && row.approvedScopes ? parseStrings(row.approvedScopes) : [],
    redirectUris: row.redirectUris ? parseStrings(row.redirectUris) : [],
    previousSecretHash: row.previousSecretHash ?? null,
    previousSecretExpiresAt:
      expires === null || expires === undefined
        ? null
        : expires instanceof Date
          ? expires
          : parseUtc(expires),
  };
}

/** SQLite hands raw datetimes back as `YYYY-MM-DD HH:MM:SS.mmm` text, in UTC. */
function parseUtc(value: string): Date {
  return new Date(
    /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`,
  );
}

function parseStrings(raw: string): string[] {
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed)
      ? parsed.filter((x): x is string => typeof x === 'string')
      : [];
  } catch {
    return [];
  }
}
