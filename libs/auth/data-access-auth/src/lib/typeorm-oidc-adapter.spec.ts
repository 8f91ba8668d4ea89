import type { DataSource } from 'typeorm';
import { openMigratedDatabase, testEngines } from '@oneroster/database';
import {
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
      await expect(refresh.find('r4')).resolves.toEqual({ grantId: 'g4' });
    });
  },
);
