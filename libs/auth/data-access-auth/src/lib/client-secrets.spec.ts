import type { DataSource } from 'typeorm';
import { openMigratedDatabase, testEngines } from '@oneroster/database/testing';
import { planTrust, seedPlatform } from '@oneroster/demo-data';
import { ApprovalEntity, OAuthClientEntity } from '@oneroster/entities';
import { InProcessInvalidationBus } from '@oneroster/util-invalidation';
import { verifySecret } from '@oneroster/util-secrets';
import {
  approvedSchoolsOfAccount,
  findAccountByEmail,
  findActiveAccount,
} from './accounts';
import {
  ClientSecretError,
  issueClientSecret,
  PREVIOUS_SECRET_VALIDITY_MS,
} from './client-secrets';
import { findStoredClient, StoredClientCache } from './oauth-client-store';

describe.each(testEngines('auth_secrets'))(
  'client secrets and accounts on $name',
  (engine) => {
    let ds: DataSource;
    let applicationId: string;
    let schoolA: string;
    let schoolB: string;
    let teacherA: string;
    let sandboxClientA: string;
    let misClientA: string;

    beforeAll(async () => {
      ds = await openMigratedDatabase(engine);
      const creds = await seedPlatform(ds, planTrust({ size: 'demo' }), {
        password: 'pw',
        sandboxClientSecret: 'secret',
      });
      [schoolA, schoolB] = creds.clients.map((c) => c.schoolId);
      teacherA = creds.teachers[0].email;
      sandboxClientA = creds.clients[0].clientId;
      misClientA = creds.misClients[0].clientId;
      applicationId = (
        await ds
          .getRepository(OAuthClientEntity)
          .findOneByOrFail({ clientId: creds.clients[0].clientId })
      ).applicationId;
    });

    afterAll(async () => {
      await ds?.destroy();
    });

    it("creates the application's OIDC client, then rotates with a 24 h overlap", async () => {
      const first = await issueClientSecret(ds, {
        clientId: applicationId,
        applicationId,
        schoolId: null,
      });
      expect(first.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(first.previousSecretExpiresAt).toBeNull();
      const row = await ds
        .getRepository(OAuthClientEntity)
        .findOneByOrFail({ clientId: applicationId });
      expect(row.schoolId).toBeNull();
      expect(row.secretHash).not.toContain(first.clientSecret);
      await expect(
        verifySecret(first.clientSecret, row.secretHash),
      ).resolves.toBe(true);

      const second = await issueClientSecret(ds, {
        clientId: applicationId,
        applicationId,
        schoolId: null,
      });
      expect(second.clientSecret).not.toBe(first.clientSecret);
      const expires = second.previousSecretExpiresAt?.getTime() ?? 0;
      expect(
        Math.abs(
          expires - second.createdAt.getTime() - PREVIOUS_SECRET_VALIDITY_MS,
        ),
      ).toBeLessThan(1000);
      const stored = await findStoredClient(ds, applicationId);
      expect(stored).toMatchObject({
        clientId: applicationId,
        applicationId,
        schoolId: null,
        approvedScopes: [],
      });
      expect(stored?.redirectUris).toContain(
        'https://sandbox-learning.example.com/oidc/callback',
      );
      await expect(
        verifySecret(second.clientSecret, stored?.secretHash ?? ''),
      ).resolves.toBe(true);
      await expect(
        verifySecret(first.clientSecret, stored?.previousSecretHash ?? ''),
      ).resolves.toBe(true);
      expect(stored?.previousSecretExpiresAt?.getTime()).toBe(expires);
    });

    it('creates and rotates a client-credentials client of one school', async () => {
      const input = {
        clientId: 'cc-h1-test',
        applicationId,
        schoolId: schoolA,
      };
      await issueClientSecret(ds, input);
      const rotated = await issueClientSecret(ds, input);
      const stored = await findStoredClient(ds, 'cc-h1-test');
      expect(stored).toMatchObject({
        schoolId: schoolA,
        approvalStatus: 'approved',
      });
      await expect(
        verifySecret(rotated.clientSecret, stored?.secretHash ?? ''),
      ).resolves.toBe(true);
    });

    it('brings a revoked client back with the new secret only', async () => {
      const input = {
        clientId: 'cc-h1-revoked',
        applicationId,
        schoolId: schoolB,
      };
      await issueClientSecret(ds, input);
      await ds
        .getRepository(OAuthClientEntity)
        .update({ clientId: input.clientId }, { revokedAt: new Date() });
      await expect(findStoredClient(ds, input.clientId)).resolves.toBeNull();
      const again = await issueClientSecret(ds, input);
      expect(again.previousSecretExpiresAt).toBeNull();
      const stored = await findStoredClient(ds, input.clientId);
      expect(stored?.previousSecretHash).toBeNull();
    });

    it('refuses a client id of another school or application, and a mismatched OIDC id', async () => {
      await expect(
        issueClientSecret(ds, {
          clientId: 'cc-h1-test',
          applicationId,
          schoolId: schoolB,
        }),
      ).rejects.toBeInstanceOf(ClientSecretError);
      await expect(
        issueClientSecret(ds, {
          clientId: 'not-the-application',
          applicationId,
          schoolId: null,
        }),
      ).rejects.toBeInstanceOf(ClientSecretError);
      await expect(
        ds
          .getRepository(OAuthClientEntity)
          .existsBy({ clientId: 'not-the-application' }),
      ).resolves.toBe(false);
    });

    it('finds accounts by email (any case) and their approved schools', async () => {
      const account = await findAccountByEmail(
        ds,
        `  ${teacherA.toUpperCase()} `,
      );
      expect(account).toMatchObject({ email: teacherA, disabled: false });
      await expect(
        findAccountByEmail(ds, 'nobody@example.org'),
      ).resolves.toBeNull();
      const id = account?.id ?? '';
      await expect(findActiveAccount(ds, id)).resolves.toMatchObject({ id });
      const schools = await approvedSchoolsOfAccount(ds, id, applicationId);
      expect(schools.map((s) => s.schoolId)).toEqual([schoolA]);
      expect(schools[0].scopes.length).toBeGreaterThan(0);
      await ds.query('UPDATE accounts SET disabled = ? WHERE id = ?', [
        true,
        id,
      ]);
      try {
        await expect(findActiveAccount(ds, id)).resolves.toBeNull();
        await expect(findAccountByEmail(ds, teacherA)).resolves.toMatchObject({
          disabled: true,
        });
      } finally {
        await ds.query('UPDATE accounts SET disabled = ? WHERE id = ?', [
          false,
          id,
        ]);
      }
    });

    it('remembers a client for the TTL, forgetting it when this DataSource changes one', async () => {
      const input = { clientId: 'cc-cache', applicationId, schoolId: schoolA };
      await issueClientSecret(ds, input);
      const cache = new StoredClientCache(ds, 60_000);
      const first = await cache.find(input.clientId);
      expect(first?.approvalStatus).toBe('approved');
      expect(await cache.find(input.clientId)).toBe(first);

      // A change the DataSource does not see as an entity change (raw SQL, like another
      // process's) is not seen within the TTL...
      await ds.query(
        'UPDATE oauth_clients SET revoked_at = CURRENT_TIMESTAMP WHERE client_id = ?',
        [input.clientId],
      );
      expect(await cache.find(input.clientId)).toBe(first);
      // ...and at once after a change through this DataSource, inside a transaction too.
      await ds.transaction((em) =>
        em
          .getRepository(ApprovalEntity)
          .update({ schoolId: schoolB, applicationId }, { scopes: [] }),
      );
      expect(await cache.find(input.clientId)).toBeNull();

      const uncached = new StoredClientCache(ds, 0);
      await ds
        .getRepository(OAuthClientEntity)
        .update({ clientId: input.clientId }, { revokedAt: null });
      expect(await uncached.find(input.clientId)).not.toBeNull();
      expect(await uncached.find(input.clientId)).not.toBe(
        await uncached.find(input.clientId),
      );
    });
    it('forgets what the invalidation bus names (a change committed by another instance), and only that', async () => {
      const bus = new InProcessInvalidationBus();
      const cache = new StoredClientCache(ds, 60_000, undefined, bus);
      const sandbox = await cache.find(sandboxClientA);
      const mis = await cache.find(misClientA);
      expect(sandbox?.approvalStatus).toBe('approved');
      // Raw SQL, as another instance's write looks from here: not seen by itself.
      const setStatus = (status: string) =>
        ds.query(
          'UPDATE approvals SET status = ? WHERE school_id = ? AND application_id = ?',
          [status, schoolA, applicationId],
        );
      await setStatus('revoked');
      try {
        await bus.publish('application', 'another-application');
        expect(await cache.find(sandboxClientA)).toBe(sandbox);
        await bus.publish('application', applicationId);
        expect((await cache.find(sandboxClientA))?.approvalStatus).toBe(
          'revoked',
        );
        // The MIS connector belongs to another application: kept.
        expect(await cache.find(misClientA)).toBe(mis);
        await bus.publish('client', misClientA);
        const reread = await cache.find(misClientA);
        expect(reread).not.toBe(mis);
        expect(reread).toEqual(mis);
        cache.close();
        await setStatus('approved');
        await bus.publish('application', applicationId);
        expect((await cache.find(sandboxClientA))?.approvalStatus).toBe(
          'revoked',
        );
      } finally {
        await setStatus('approved');
      }
    });
  },
);
