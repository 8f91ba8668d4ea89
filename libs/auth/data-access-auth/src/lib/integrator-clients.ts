import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { decodeInstant, decodeStrings } from '@oneroster/database';
import { IntegratorClientEntity } from '@oneroster/entities';
import { generateSecret, hashSecret } from '@oneroster/util-secrets';
import { PREVIOUS_SECRET_VALIDITY_MS } from './client-secrets';

/**
 * An integrator's platform credentials (`integrator_clients`): client-credentials clients of an
 * integrator, not of a school, whose tokens reach the platform API only. Rules enforced:
 * - ids start with `pl-` (never an application's or school client's id) and are random;
 * - a secret has 256 random bits, only its scrypt hash is stored, it is returned once;
 * - rotation keeps the previous secret valid for PREVIOUS_SECRET_VALIDITY_MS (24 hours), as
 *   for school clients; a rotation within that window ends the older one; two rotations at
 *   once never lose one (the update applies only to the hash it read);
 * - a revoked client is not found (it fails as an unknown client would), read on every
 *   token request so a revocation applies at once on every instance.
 */
export const INTEGRATOR_CLIENT_PREFIX = 'pl-';

export const isIntegratorClientId = (id: string) =>
  id.startsWith(INTEGRATOR_CLIENT_PREFIX);

export interface StoredIntegratorClient {
  clientId: string;
  integratorId: string;
  integratorName: string;
  scopes: string[];
  secretHash: string;
  previousSecretHash: string | null;
  previousSecretExpiresAt: Date | null;
}

const SQL = `
SELECT c.client_id AS clientId, c.integrator_id AS integratorId, i.name AS integratorName,
       c.scopes AS scopes, c.secret_hash AS secretHash,
       c.previous_secret_hash AS previousSecretHash,
       c.previous_secret_expires_at AS previousSecretExpiresAt
FROM integrator_clients c JOIN integrators i ON i.id = c.integrator_id
WHERE c.client_id = ? AND c.revoked_at IS NULL`;

export async function findIntegratorClient(
  ds: DataSource | EntityManager,
  clientId: string,
): Promise<StoredIntegratorClient | null> {
  if (!isIntegratorClientId(clientId)) return null;
  const rows = (await ds.query(SQL, [clientId])) as (Omit<
    StoredIntegratorClient,
    'scopes' | 'previousSecretExpiresAt'
  > & { scopes: string; previousSecretExpiresAt: Date | string | null })[];
  const row = rows[0];
  if (!row) return null;
  return {
    ...row,
    scopes: decodeStrings(row.scopes),
    previousSecretHash: row.previousSecretHash ?? null,
    previousSecretExpiresAt:
      row.previousSecretExpiresAt === null ||
      row.previousSecretExpiresAt === undefined
        ? null
        : decodeInstant(row.previousSecretExpiresAt),
  };
}

export interface IssuedIntegratorSecret {
  client: IntegratorClientEntity;
  clientSecret: string;
}

/** Creates a platform credential (in `em`'s transaction when given one). */
export async function createIntegratorClient(
  em: DataSource | EntityManager,
  integratorId: string,
  scopes: string[],
): Promise<IssuedIntegratorSecret> {
  const clientSecret = generateSecret();
  const client: IntegratorClientEntity = {
    clientId: `${INTEGRATOR_CLIENT_PREFIX}${randomBytes(12).toString('base64url')}`,
    integratorId,
    scopes,
    secretHash: await hashSecret(clientSecret),
    previousSecretHash: null,
    previousSecretExpiresAt: null,
    createdAt: new Date(),
    revokedAt: null,
  };
  await em.getRepository(IntegratorClientEntity).insert(client);
  return { client, clientSecret };
}

/** Rotates a live platform credential's secret; null when it changed meanwhile. */
export async function rotateIntegratorClient(
  em: DataSource | EntityManager,
  existing: IntegratorClientEntity,
): Promise<IssuedIntegratorSecret | null> {
  const clientSecret = generateSecret();
  const secretHash = await hashSecret(clientSecret);
  const previousSecretExpiresAt = new Date(
    Date.now() + PREVIOUS_SECRET_VALIDITY_MS,
  );
  const res = await em
    .getRepository(IntegratorClientEntity)
    .createQueryBuilder()
    .update(IntegratorClientEntity)
    .set({
      secretHash,
      previousSecretHash: existing.secretHash,
      previousSecretExpiresAt,
    })
    .where('client_id = :id AND secret_hash = :old AND revoked_at IS NULL', {
      id: existing.clientId,
      old: existing.secretHash,
    })
    .execute();
  if (res.affected !== 1) return null;
  return {
    client: {
      ...existing,
      secretHash,
      previousSecretHash: existing.secretHash,
      previousSecretExpiresAt,
    },
    clientSecret,
  };
}
