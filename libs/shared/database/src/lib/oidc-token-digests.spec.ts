import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { OidcModelEntity } from '@oneroster/entities';
import { digestStoredOidcTokens } from './migrations/oidc-token-digests';
import { openMigratedDatabase, testEngines } from './test-database';

describe.each(testEngines('oidc_token_digests'))(
  'OidcTokenDigests migration on $name',
  (engine) => {
    let ds: DataSource;

    beforeAll(async () => {
      ds = await openMigratedDatabase(engine);
    });

    afterAll(async () => {
      await ds?.destroy();
    });

    it('re-keys stored refresh tokens and codes by digest, without their jti, and leaves other models', async () => {
      const repo = ds.getRepository(OidcModelEntity);
      const row = (model: string, id: string) => ({
        model,
        id,
        payload: JSON.stringify({ jti: id, grantId: 'g' }),
        grantId: 'g',
        uid: null,
        userCode: null,
        expiresAt: null,
        consumedAt: null,
      });
      await repo.insert([
        row('RefreshToken', 'raw-refresh-token'),
        row('AuthorizationCode', 'raw-code'),
        row('Session', 'session-id'),
      ]);
      const runner = ds.createQueryRunner();
      try {
        await digestStoredOidcTokens(runner);
        // Run twice: a second run changes nothing.
        await digestStoredOidcTokens(runner);
      } finally {
        await runner.release();
      }
      const sha = (s: string) => createHash('sha256').update(s).digest('hex');
      const rows = await repo.find({ order: { model: 'ASC' } });
      expect(rows.map((r) => [r.model, r.id, JSON.parse(r.payload)])).toEqual([
        ['AuthorizationCode', sha('raw-code'), { grantId: 'g' }],
        ['RefreshToken', sha('raw-refresh-token'), { grantId: 'g' }],
        ['Session', 'session-id', { jti: 'session-id', grantId: 'g' }],
      ]);
    });
  },
);
