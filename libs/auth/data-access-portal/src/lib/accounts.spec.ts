import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openMigratedDatabase, testEngines } from '@oneroster/database/testing';
import {
  AccountEntity,
  AccountSchoolRoleEntity,
  AuditEventEntity,
  PortalSessionEntity,
  SchoolEntity,
} from '@oneroster/entities';
import { hashSecret, verifySecret } from '@oneroster/util-secrets';
import {
  createAccountWithOneTimePassword,
  PortalAccounts,
  setFirstPassword,
} from './accounts';
import { loadActor, type PortalActor } from './actor';
import { PortalProblem } from './errors';
import { PortalSessions } from './sessions';

/** The problem an operation refuses with: its code and fields. */
async function refusal(work: Promise<unknown>) {
  try {
    await work;
  } catch (err) {
    if (err instanceof PortalProblem)
      return { code: err.code, fields: err.fields ?? {} };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe.each(testEngines('portal_accounts'))(
  'account lifecycle on $name',
  (engine) => {
    let ds: DataSource;
    let operator: PortalActor;
    let schoolId: string;
    let sessions: PortalSessions;
    let ended: string[];
    let accounts: PortalAccounts;

    beforeAll(async () => {
      ds = await openMigratedDatabase(engine);
      sessions = new PortalSessions(ds);
      schoolId = randomUUID();
      await ds.getRepository(SchoolEntity).insert({
        id: schoolId,
        name: 'Elm School',
        orgSourcedId: `org-${schoolId}`,
        identifier: null,
        sandbox: false,
        createdAt: new Date(),
      });
      const operatorId = randomUUID();
      await ds.getRepository(AccountEntity).insert({
        id: operatorId,
        email: `op-${operatorId}@platform.example.org`,
        displayName: 'Operator',
        passwordHash: await hashSecret('operator password 1'),
        platformRole: 'operator',
        integratorId: null,
        disabled: false,
        mustChangePassword: false,
        passwordChangedAt: null,
        createdAt: new Date(),
      });
      operator = (await loadActor(ds, operatorId, '192.0.2.1')) as PortalActor;
      ended = [];
      // Stands in for the authorization server's part (tested with the real one in the auth
      // server's end-to-end tests): records which account it was asked to end.
      accounts = new PortalAccounts(ds, async (accountId) => {
        ended.push(accountId);
        return { sessions: 0, grants: 0 };
      });
    }, 60_000);

    afterAll(async () => {
      await ds?.destroy();
    });

    /** A school administrator who has chosen a password, with two portal sessions. */
    async function anAdmin(password = 'a good long password') {
      const { account, oneTimePassword } =
        await createAccountWithOneTimePassword(ds, {
          email: `Admin-${randomUUID()}@Elm.example.org`,
          displayName: 'Elm admin',
          platformRole: null,
          integratorId: null,
          schoolRoles: [{ schoolId, role: 'school_admin' }],
        });
      await setFirstPassword(ds, account.id, password, '192.0.2.9');
      const one = await sessions.create(account.id, null);
      const two = await sessions.create(account.id, null);
      return { account, oneTimePassword, password, one, two };
    }

    const sessionsOf = (accountId: string) =>
      ds.getRepository(PortalSessionEntity).countBy({ accountId });
    const lastEvent = (targetId: string) =>
      ds.getRepository(AuditEventEntity).findOne({
        where: { targetId },
        order: { id: 'DESC' },
      });

    it('a created account holds a one-time password and is no actor until it sets its own', async () => {
      const { account, oneTimePassword } =
        await createAccountWithOneTimePassword(ds, {
          email: `new-${randomUUID()}@elm.example.org`,
          displayName: 'New',
          platformRole: 'operator',
          integratorId: null,
          schoolRoles: [],
        });
      expect(account.mustChangePassword).toBe(true);
      expect(oneTimePassword.length).toBeGreaterThanOrEqual(20);
      expect(await loadActor(ds, account.id, null)).toBeNull();
      expect(await lastEvent(account.id)).toMatchObject({
        action: 'account.created',
        actorType: 'system',
      });

      for (const [bad, why] of [
        ['short pass', /at least 12/],
        [account.email.toUpperCase(), /email/],
        [oneTimePassword, /one-time/],
      ] as const)
        expect(
          await refusal(setFirstPassword(ds, account.id, bad, null)),
        ).toEqual({
          code: 'invalid_request',
          fields: { newPassword: expect.stringMatching(why) },
        });

      await setFirstPassword(ds, account.id, 'my very own password', null);
      const stored = await ds
        .getRepository(AccountEntity)
        .findOneByOrFail({ id: account.id });
      expect(stored.mustChangePassword).toBe(false);
      expect(stored.passwordChangedAt).toBeInstanceOf(Date);
      expect(
        await verifySecret('my very own password', stored.passwordHash),
      ).toBe(true);
      expect(await loadActor(ds, account.id, null)).not.toBeNull();
      expect(await lastEvent(account.id)).toMatchObject({
        action: 'account.password_changed',
        actorAccountId: account.id,
      });
      // Once set, the first-password step is over.
      expect(
        (
          await refusal(
            setFirstPassword(ds, account.id, 'another long password', null),
          )
        ).code,
      ).toBe('forbidden');
    });

    it('refuses a second account with the same email, whatever its case', async () => {
      const email = `dup-${randomUUID()}@elm.example.org`;
      const input = {
        email,
        displayName: 'Dup',
        platformRole: null,
        integratorId: null,
        schoolRoles: [],
      };
      await createAccountWithOneTimePassword(ds, input);
      expect(
        (
          await refusal(
            createAccountWithOneTimePassword(ds, {
              ...input,
              email: email.toUpperCase(),
            }),
          )
        ).code,
      ).toBe('conflict');
    });

    it('disable ends every portal session and the grants at once; enable lets it sign in again', async () => {
      const { account, one } = await anAdmin();
      expect(await sessionsOf(account.id)).toBe(2);
      const view = await accounts.disable(operator, account.id);
      expect(view.disabled).toBe(true);
      expect(await sessionsOf(account.id)).toBe(0);
      expect(await sessions.resolve(one.cookie)).toBeNull();
      expect(ended).toContain(account.id);
      expect(await loadActor(ds, account.id, null)).toBeNull();
      expect(await lastEvent(account.id)).toMatchObject({
        action: 'account.disabled',
        actorAccountId: operator.account.id,
        actorIp: '192.0.2.1',
        details: expect.objectContaining({ portalSessionsEnded: 2 }),
      });

      const enabled = await accounts.enable(operator, account.id);
      expect(enabled.disabled).toBe(false);
      expect(await loadActor(ds, account.id, null)).not.toBeNull();
      expect((await lastEvent(account.id))?.action).toBe('account.enabled');
    });

    it('role removal ends the sessions; unknown roles and accounts are not found', async () => {
      const { account } = await anAdmin();
      ended.length = 0;
      expect(
        await refusal(
          accounts.removeRole(operator, account.id, {
            schoolId,
            role: 'teacher',
          }),
        ),
      ).toMatchObject({ code: 'not_found' });
      expect(await sessionsOf(account.id)).toBe(2);
      const view = await accounts.removeRole(operator, account.id, {
        schoolId,
        role: 'school_admin',
      });
      expect(view.schoolRoles).toEqual([]);
      expect(await sessionsOf(account.id)).toBe(0);
      expect(ended).toEqual([account.id]);
      expect(
        await ds
          .getRepository(AccountSchoolRoleEntity)
          .countBy({ accountId: account.id }),
      ).toBe(0);
      expect(await lastEvent(account.id)).toMatchObject({
        action: 'account.role_removed',
        schoolId,
        details: expect.objectContaining({ role: 'school_admin' }),
      });
      expect(
        (await refusal(accounts.disable(operator, randomUUID()))).code,
      ).toBe('not_found');
      expect(
        await refusal(accounts.removeRole(operator, account.id, { role: 'x' })),
      ).toMatchObject({
        code: 'invalid_request',
        fields: { schoolId: expect.any(String), role: expect.any(String) },
      });
    });

    it('operators cannot lock themselves out; others may not use these at all', async () => {
      expect(
        (await refusal(accounts.disable(operator, operator.account.id))).code,
      ).toBe('conflict');
      expect(
        (
          await refusal(
            accounts.removeRole(operator, operator.account.id, {
              platformRole: 'operator',
            }),
          )
        ).code,
      ).toBe('conflict');
      expect(
        (await refusal(accounts.resetPassword(operator, operator.account.id)))
          .code,
      ).toBe('conflict');
      const { account } = await anAdmin();
      const admin = (await loadActor(ds, account.id, null)) as PortalActor;
      expect((await refusal(accounts.disable(admin, account.id))).code).toBe(
        'forbidden',
      );
    });

    it('reset gives a new one-time password: the old one stops, sessions end, a change is due', async () => {
      const { account, password } = await anAdmin();
      const reset = await accounts.resetPassword(operator, account.id);
      expect(reset.account.mustChangePassword).toBe(true);
      expect(reset.oneTimePassword).toMatch(/^[A-Za-z0-9_-]{20}$/);
      const stored = await ds
        .getRepository(AccountEntity)
        .findOneByOrFail({ id: account.id });
      expect(await verifySecret(password, stored.passwordHash)).toBe(false);
      expect(
        await verifySecret(reset.oneTimePassword, stored.passwordHash),
      ).toBe(true);
      expect(await sessionsOf(account.id)).toBe(0);
      expect(await loadActor(ds, account.id, null)).toBeNull();
      const event = await lastEvent(account.id);
      expect(event?.action).toBe('account.password_reset');
      expect(JSON.stringify(event?.details)).not.toContain(
        reset.oneTimePassword,
      );
    });

    it('changing one’s own password needs the current one, follows the policy, ends the other sessions', async () => {
      const { account, password, one, two } = await anAdmin();
      const actor = (await loadActor(ds, account.id, null)) as PortalActor;
      const keep = (await sessions.resolve(one.cookie)) as PortalSessionEntity;
      ended.length = 0;
      expect(
        await refusal(
          accounts.changeOwnPassword(
            actor,
            { currentPassword: 'wrong', newPassword: 'a new long password' },
            keep.id,
          ),
        ),
      ).toMatchObject({ fields: { currentPassword: expect.any(String) } });
      for (const newPassword of ['too short', password])
        expect(
          await refusal(
            accounts.changeOwnPassword(
              actor,
              { currentPassword: password, newPassword },
              keep.id,
            ),
          ),
        ).toMatchObject({ fields: { newPassword: expect.any(String) } });
      expect(
        (await refusal(accounts.changeOwnPassword(actor, 'x', keep.id))).code,
      ).toBe('invalid_request');
      await accounts.changeOwnPassword(
        actor,
        { currentPassword: password, newPassword: 'a new long password' },
        keep.id,
      );
      expect(await sessions.resolve(one.cookie)).not.toBeNull();
      expect(await sessions.resolve(two.cookie)).toBeNull();
      expect(ended).toEqual([account.id]);
      const stored = await ds
        .getRepository(AccountEntity)
        .findOneByOrFail({ id: account.id });
      expect(
        await verifySecret('a new long password', stored.passwordHash),
      ).toBe(true);
      expect((await lastEvent(account.id))?.action).toBe(
        'account.password_changed',
      );
    });

    it('a session ends at its absolute lifetime however much it is used', async () => {
      const { account } = await anAdmin();
      const shortLived = new PortalSessions(ds, 8 * 3600_000, 3600_000);
      const { cookie } = await shortLived.create(account.id, null);
      const live = (await shortLived.resolve(cookie)) as PortalSessionEntity;
      // Never past the absolute end, even when the idle timeout is longer.
      expect(live.expiresAt.getTime() - live.createdAt.getTime()).toBe(
        3600_000,
      );
      // Opened 61 minutes ago and used a minute ago: the idle expiry is far, the life is over.
      const now = Date.now();
      await ds.getRepository(PortalSessionEntity).update(
        { id: live.id },
        {
          createdAt: new Date(now - 61 * 60_000),
          lastSeenAt: new Date(now - 60_000),
          expiresAt: new Date(now + 7 * 3600_000),
        },
      );
      expect(await shortLived.resolve(cookie)).toBeNull();
      expect(
        await ds.getRepository(PortalSessionEntity).countBy({ id: live.id }),
      ).toBe(0);
    });
  },
);
