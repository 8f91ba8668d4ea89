import type { DataSource, EntityManager } from 'typeorm';
import { OAuthClientEntity } from '@oneroster/entities';
import { generateSecret, hashSecret } from '@oneroster/util-secrets';

/**
 * Issuing OAuth client secrets, for both kinds of clients: a client-credentials client of one
 * school, and an application's OpenID Connect client (`schoolId` null, client id = the
 * application id). Rules enforced:
 * - a new secret has 256 random bits (base64url); only its scrypt hash is stored, and the
 *   secret itself is returned once, here;
 * - the first call creates the client; later calls rotate: the secret in use becomes the
 *   previous secret and stays valid for 24 hours (PREVIOUS_SECRET_VALIDITY_MS), so the
 *   integrator can deploy the new one without downtime; a rotation within that window ends
 *   the older previous secret (at most two secrets are ever valid);
 * - re-issuing a revoked client brings it back with the new secret only (no previous one);
 * - a client id already used by another application or school is refused, as is an OpenID
 *   Connect client whose id is not its application's id;
 * - two rotations at once never lose one: the update only applies to the hash it read.
 */
export const PREVIOUS_SECRET_VALIDITY_MS = 24 * 3600_000;

export interface IssueClientSecretInput {
  clientId: string;
  applicationId: string;
  /** The school of a client-credentials client; null for the application's OIDC client. */
  schoolId: string | null;
}

export interface IssuedClientSecret {
  /** The new secret, in clear: show it once, it is not kept. */
  clientSecret: string;
  /** When this secret was issued. */
  createdAt: Date;
  /** Until when the secret it replaced is still accepted (null: there was none). */
  previousSecretExpiresAt: Date | null;
}

export class ClientSecretError extends Error {}

/** `dataSource` may be a transaction's EntityManager: the client then changes with it. */
export async function issueClientSecret(
  dataSource: DataSource | EntityManager,
  input: IssueClientSecretInput,
): Promise<IssuedClientSecret> {
  const { clientId, applicationId, schoolId } = input;
  if (!clientId || clientId.length > 64)
    throw new ClientSecretError('client id must be 1 to 64 characters');
  if (schoolId === null && clientId !== applicationId)
    throw new ClientSecretError(
      "an application's OpenID Connect client id must be the application id",
    );
  const clients = dataSource.getRepository(OAuthClientEntity);
  const clientSecret = generateSecret();
  const secretHash = await hashSecret(clientSecret);
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = new Date();
    const existing = await clients.findOneBy({ clientId });
    if (!existing) {
      try {
        await clients.insert({
          clientId,
          applicationId,
          schoolId,
          secretHash,
          previousSecretHash: null,
          previousSecretExpiresAt: null,
          createdAt: now,
          revokedAt: null,
        });
        return {
          clientSecret,
          createdAt: now,
          previousSecretExpiresAt: null,
        };
      } catch (err) {
        // Created by a concurrent call: rotate what it stored instead.
        if (await clients.existsBy({ clientId })) continue;
        throw err;
      }
    }
    if (
      existing.applicationId !== applicationId ||
      (existing.schoolId ?? null) !== schoolId
    )
      throw new ClientSecretError(
        `client id ${clientId} belongs to another application or school`,
      );
    const revived = existing.revokedAt !== null;
    const previousSecretExpiresAt = revived
      ? null
      : new Date(now.getTime() + PREVIOUS_SECRET_VALIDITY_MS);
    const result = await clients
      .createQueryBuilder()
      .update(OAuthClientEntity)
      .set({
        secretHash,
        previousSecretHash: revived ? null : existing.secretHash,
        previousSecretExpiresAt,
        revokedAt: null,
      })
      .where('client_id = :clientId AND secret_hash = :old', {
        clientId,
        old: existing.secretHash,
      })
      .execute();
    if (result.affected === 1)
      return { clientSecret, createdAt: now, previousSecretExpiresAt };
  }
  throw new ClientSecretError(
    `client ${clientId} changed concurrently; try again`,
  );
}
