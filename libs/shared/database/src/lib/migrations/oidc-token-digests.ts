import { createHash } from 'node:crypto';
import { decodeJson, encodeJson } from '../codec';
import type { QueryRunner } from 'typeorm';

/**
 * Re-keys the refresh tokens and authorization codes stored before they were stored by
 * digest (`oidc_models.id` = SHA-256 hex of the token, payload without `jti`), so that the
 * table no longer holds usable tokens and the tokens already issued keep working. A row
 * whose id already is a digest is left alone. Irreversible: a digest gives no token back.
 * Shared by the SQLite and MySQL migrations (the statements are the same in both dialects).
 */
export async function digestStoredOidcTokens(
  queryRunner: QueryRunner,
): Promise<void> {
  const rows = (await queryRunner.query(
    "SELECT model, id, payload FROM oidc_models WHERE model IN ('RefreshToken', 'AuthorizationCode')",
  )) as { model: string; id: string; payload: string }[];
  for (const row of rows) {
    const payload = decodeJson<Record<string, unknown>>(row.payload);
    if (/^[0-9a-f]{64}$/.test(row.id) && payload['jti'] === undefined) continue;
    delete payload['jti'];
    await queryRunner.query(
      'UPDATE oidc_models SET id = ?, payload = ? WHERE model = ? AND id = ?',
      [
        createHash('sha256').update(row.id, 'utf8').digest('hex'),
        encodeJson(payload),
        row.model,
        row.id,
      ],
    );
  }
}
