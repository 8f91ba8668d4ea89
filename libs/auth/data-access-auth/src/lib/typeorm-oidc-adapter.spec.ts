import type { DataSource } from 'typeorm';
import { openMigratedDatabase, testEngines } from '@oneroster/database/testing';
import { OidcModelEntity } from '@oneroster/entities';
import {
  oidcIdDigest,
  purgeExpiredOidcModels,
  TypeOrmOidcAdapter,
} from './typeorm-oidc-adapter';

describe.each(testEngines('oidc_adapter'))(
  'TypeOrmOidcAdapter on $name',
  (engine) => {
    let ds: DataSource;

    beforeAll(async () => {
      ds = await openMigratedDatabase(engine);
    });

    afterAll(async () => {
      await ds?.destroy();
    });

    it('stores, replaces and destroys a payload per model', async () => {
      const codes = new TypeOrmOidcAdapter('AuthorizationCode', ds);
      const tokens = new TypeOrmOidcAdapter('RefreshToken', ds);
      await codes.upsert('x', { grantId: 'g1', scope: 'a' }, 60);
      await expect(tokens.find('x')).resolves.toBeUndefined();
      await codes.upsert('x', { grantId: 'g1', scope: 'b' }, 60);
      await expect(codes.find('x')).resolves.toEqual({
        grantId: 'g1',
        scope: 'b',
        jti: 'x',
      });
      await codes.destroy('x');
      await expect(codes.find('x')).resolves.toBeUndefined();
    });

    it('marks consumed records and hides expired ones', async () => {
      const codes = new TypeOrmOidcAdapter('AuthorizationCode', ds);
      await codes.upsert('c', { grantId: 'g2' }, 60);
      await codes.consume('c');
      expect((await codes.find('c'))?.consumed).toEqual(expect.any(Number));
      await codes.upsert('old', { grantId: 'g2' }, 1);
      await new Promise((r) => setTimeout(r, 1100));
      await expect(codes.find('old')).resolves.toBeUndefined();
      expect(await purgeExpiredOidcModels(ds)).toBeGreaterThanOrEqual(1);
    });

    it('finds sessions by uid and device codes by user code', async () => {
      const sessions = new TypeOrmOidcAdapter('Session', ds);
      await sessions.upsert('s1', { uid: 'u1', accountId: 'a' }, 600);
      await expect(sessions.findByUid('u1')).resolves.toMatchObject({
        accountId: 'a',
      });
      const devices = new TypeOrmOidcAdapter('DeviceCode', ds);
      await devices.upsert('d1', { userCode: 'ABCD-EFGH' }, 600);
      await expect(devices.findByUserCode('ABCD-EFGH')).resolves.toMatchObject({
        userCode: 'ABCD-EFGH',
      });
    });

    it('revokes every record of a grant, whatever its model', async () => {
      const codes = new TypeOrmOidcAdapter('AuthorizationCode', ds);
      const refresh = new TypeOrmOidcAdapter('RefreshToken', ds);
      await codes.upsert('c3', { grantId: 'g3' }, 60);
      await refresh.upsert('r3', { grantId: 'g3' }, 600);
      await refresh.upsert('r4', { grantId: 'g4' }, 600);
      await codes.revokeByGrantId('g3');
      await expect(codes.find('c3')).resolves.toBeUndefined();
      await expect(refresh.find('r3')).resolves.toBeUndefined();
      await expect(refresh.find('r4')).resolves.toEqual({
        grantId: 'g4',
        jti: 'r4',
      });
    });

    it('stores refresh tokens and codes by digest: the table holds no usable token', async () => {
      const refresh = new TypeOrmOidcAdapter('RefreshToken', ds);
      const codes = new TypeOrmOidcAdapter('AuthorizationCode', ds);
      const token = 'rt-Zk3v9QmB1xY7pL2sW8nE5cH0aD4fG6jK9uT3oR1iV';
      const code = 'ac-Qw7Er5Ty3Ui1Op9As8Df6Gh4Jk2Lz0Xc5Vb7Nm3Mq';
      await refresh.upsert(
        token,
        { jti: token, grantId: 'g5', kind: 'RefreshToken' },
        600,
      );
      await codes.upsert(code, { jti: code, grantId: 'g5' }, 60);
      const rows = await ds.getRepository(OidcModelEntity).find();
      const dump = JSON.stringify(rows);
      expect(dump).not.toContain(token);
      expect(dump).not.toContain(code);
      expect(rows.map((r) => r.id)).toEqual(
        expect.arrayContaining([oidcIdDigest(token), oidcIdDigest(code)]),
      );
      await expect(refresh.find(token)).resolves.toEqual({
        jti: token,
        grantId: 'g5',
        kind: 'RefreshToken',
      });
      await expect(refresh.find(oidcIdDigest(token))).resolves.toBeUndefined();
      await refresh.destroy(token);
      await expect(refresh.find(token)).resolves.toBeUndefined();
      // Other models keep their ids (sessions are found by them, and are no bearer secret).
      const sessions = new TypeOrmOidcAdapter('Session', ds);
      await sessions.upsert('s-plain', { uid: 'u5' }, 600);
      await expect(
        ds.getRepository(OidcModelEntity).countBy({ id: 's-plain' }),
      ).resolves.toBe(1);
    });

    it('lets only one of two concurrent consumes of a code pass, and revokes the grant', async () => {
      const codes = new TypeOrmOidcAdapter(
        'AuthorizationCode',
        ds,
        () => new Error('already used'),
      );
      const refresh = new TypeOrmOidcAdapter('RefreshToken', ds);
      await codes.upsert('c6', { jti: 'c6', grantId: 'g6' }, 60);
      await refresh.upsert('r6', { jti: 'r6', grantId: 'g6' }, 600);
      const outcomes = await Promise.allSettled([
        codes.consume('c6'),
        codes.consume('c6'),
      ]);
      expect(outcomes.map((o) => o.status).sort()).toEqual([
        'fulfilled',
        'rejected',
      ]);
      const refused = outcomes.find((o) => o.status === 'rejected');
      expect((refused as PromiseRejectedResult).reason.message).toBe(
        'already used',
      );
      // The replay revoked what the first use may have issued.
      await expect(refresh.find('r6')).resolves.toBeUndefined();
    });
  },
);
