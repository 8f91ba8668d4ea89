import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import {
  PLATFORM_ROLES,
  SCHOOL_ROLES,
  passwordProblem,
  type AccountView,
  type PasswordReset,
  type PlatformRole,
  type SchoolRole,
} from '@oneroster/contracts';
import { AccountEntity, AccountSchoolRoleEntity } from '@oneroster/entities';
import { hashSecret, verifySecret } from '@oneroster/util-secrets';
import { assertOperator, type PortalActor } from './actor';
import { recordAudit } from './audit';
import {
  conflict,
  invalid,
  isUniqueViolation,
  notFound,
  PortalProblem,
} from './errors';
import { PortalSessions } from './sessions';
import { inTransaction } from './transaction';
import { objectBody } from './validation';

/**
 * An account's life after onboarding. Rules enforced:
 * - an account an operator creates, or whose password an operator resets, holds a one-time
 *   password (120 random bits, shown once, stored as a scrypt hash) and `must_change_password`:
 *   the sign-in pages ask for a new password before the sign-in completes, and no portal
 *   session opens for it until then;
 * - a new password follows the minimum policy (`passwordProblem` of the contracts); changing
 *   one's own needs the current password;
 * - disabling an account, taking a role away and resetting a password end, at once, every
 *   portal session of the account (in the change's transaction) and then every session and
 *   grant the authorization server holds for it (refresh tokens stop working); changing
 *   one's own password ends every other session and grant;
 * - a disabled account cannot sign in (the sign-in pages say so) and has no portal session;
 * - operators cannot disable themselves, take their own operator role or reset their own
 *   password here (they would lock themselves out; their own password is changed with the
 *   current one);
 * - every change writes an audit event (`account.disabled`, `account.enabled`,
 *   `account.role_removed`, `account.password_reset`, `account.password_changed`).
 */

/** What ends an account's sessions and grants at the authorization server (feature-oidc). */
export type EndOidcSessions = (
  accountId: string,
) => Promise<{ sessions: number; grants: number }>;

export interface NewAccount {
  email: string;
  displayName: string;
  platformRole: PlatformRole | null;
  integratorId: string | null;
  schoolRoles: { schoolId: string; role: SchoolRole }[];
}

export interface AccountWithOneTimePassword {
  account: AccountView;
  oneTimePassword: string;
}

/** 120 random bits, 20 URL-safe characters: above the policy's minimum length. */
export const newOneTimePassword = () => randomBytes(15).toString('base64url');

/**
 * Creates an account holding a one-time password it must change at its first sign-in, with
 * its roles and the audit event (`actor` null: a command line, recorded as `system`). The
 * input must be valid already (the portal's onboarding checks it; a command line too). An
 * existing email answers `conflict`. For `tools/db` (e.g. a `create-operator` command) and
 * the portal's onboarding.
 */
export async function createAccountWithOneTimePassword(
  ds: DataSource,
  input: NewAccount,
  actor: Pick<PortalActor, 'account' | 'ip'> | null = null,
): Promise<AccountWithOneTimePassword> {
  const email = input.email.trim().toLowerCase();
  const oneTimePassword = newOneTimePassword();
  const account: AccountEntity = {
    id: randomUUID(),
    email,
    displayName: input.displayName,
    passwordHash: await hashSecret(oneTimePassword),
    platformRole: input.platformRole,
    integratorId: input.integratorId,
    disabled: false,
    mustChangePassword: true,
    passwordChangedAt: null,
    createdAt: new Date(),
  };
  const work = async (em: EntityManager) => {
    if (await em.getRepository(AccountEntity).existsBy({ email }))
      throw conflict('an account with this email already exists');
    await em.getRepository(AccountEntity).insert(account);
    if (input.schoolRoles.length)
      await em.getRepository(AccountSchoolRoleEntity).insert(
        input.schoolRoles.map((r) => ({
          accountId: account.id,
          schoolId: r.schoolId,
          role: r.role,
          userSourcedId: null,
        })),
      );
    await recordAudit(em, actor, {
      action: 'account.created',
      targetType: 'account',
      targetId: account.id,
      details: {
        email,
        displayName: input.displayName,
        platformRole: input.platformRole,
        integratorId: input.integratorId,
        schoolRoles: input.schoolRoles,
        mustChangePassword: true,
      },
    });
  };
  try {
    await inTransaction(ds, work);
  } catch (err) {
    if (isUniqueViolation(err))
      throw conflict('an account with this email already exists');
    throw err;
  }
  return {
    account: accountView(
      account,
      input.schoolRoles.map((r) => ({
        ...r,
        accountId: account.id,
        userSourcedId: null,
      })),
    ),
    oneTimePassword,
  };
}

/**
 * Sets the first password of an account that holds a one-time one (the sign-in pages, after
 * the one-time password was checked). Refused (`invalid_request`, field `newPassword`) when
 * the password breaks the policy or is the one-time password; `forbidden` when the account
 * is disabled or no longer needs a change.
 */
export async function setFirstPassword(
  ds: DataSource,
  accountId: string,
  newPassword: string,
  ip: string | null,
): Promise<void> {
  const account = await ds
    .getRepository(AccountEntity)
    .findOneBy({ id: accountId });
  if (!account || account.disabled || !account.mustChangePassword)
    throw new PortalProblem(
      'forbidden',
      'this account cannot set its password now; sign in again',
    );
  const problem =
    passwordProblem(newPassword, { email: account.email }) ??
    ((await verifySecret(newPassword, account.passwordHash))
      ? 'must differ from the one-time password'
      : null);
  if (problem) throw invalid({ newPassword: problem });
  const passwordHash = await hashSecret(newPassword);
  await inTransaction(ds, async (em) => {
    const res = await em.getRepository(AccountEntity).update(
      { id: accountId, passwordHash: account.passwordHash, disabled: false },
      {
        passwordHash,
        mustChangePassword: false,
        passwordChangedAt: new Date(),
      },
    );
    // Reset or disabled in between: the one-time password checked is not the current one.
    if (!res.affected)
      throw new PortalProblem(
        'forbidden',
        'this account cannot set its password now; sign in again',
      );
    await recordAudit(
      em,
      { account: summary(account), ip },
      {
        action: 'account.password_changed',
        targetType: 'account',
        targetId: accountId,
        details: { firstSignIn: true },
      },
    );
  });
}

export class PortalAccounts {
  private readonly sessions: PortalSessions;

  constructor(
    private readonly ds: DataSource,
    private readonly endOidcSessions: EndOidcSessions = async () => ({
      sessions: 0,
      grants: 0,
    }),
  ) {
    this.sessions = new PortalSessions(ds);
  }

  async disable(actor: PortalActor, accountId: string): Promise<AccountView> {
    assertOperator(actor);
    if (accountId === actor.account.id)
      throw conflict('you cannot disable your own account');
    return this.change(actor, accountId, 'account.disabled', async (em, a) => {
      if (a.disabled) return null;
      await em
        .getRepository(AccountEntity)
        .update({ id: a.id }, { disabled: true });
      a.disabled = true;
      return { endSessions: true, details: {} };
    });
  }

  async enable(actor: PortalActor, accountId: string): Promise<AccountView> {
    assertOperator(actor);
    return this.change(actor, accountId, 'account.enabled', async (em, a) => {
      if (!a.disabled) return null;
      await em
        .getRepository(AccountEntity)
        .update({ id: a.id }, { disabled: false });
      a.disabled = false;
      return { endSessions: false, details: {} };
    });
  }

  async removeRole(
    actor: PortalActor,
    accountId: string,
    body: unknown,
  ): Promise<AccountView> {
    assertOperator(actor);
    const input = objectBody(body);
    if (!input) throw invalid({ body: 'must be a JSON object' });
    const platformRole = input['platformRole'];
    const schoolId = input['schoolId'];
    const role = input['role'];
    if (platformRole !== undefined) {
      if (!PLATFORM_ROLES.includes(platformRole as PlatformRole))
        throw invalid({
          platformRole: `must be one of ${PLATFORM_ROLES.join(', ')}`,
        });
      if (
        accountId === actor.account.id &&
        platformRole === 'operator' &&
        actor.operator
      )
        throw conflict('you cannot take away your own operator role');
    } else {
      const fields: Record<string, string> = {};
      if (typeof schoolId !== 'string' || !schoolId)
        fields['schoolId'] = 'must be a school id (or give platformRole)';
      if (!SCHOOL_ROLES.includes(role as SchoolRole))
        fields['role'] = `must be one of ${SCHOOL_ROLES.join(', ')}`;
      if (Object.keys(fields).length) throw invalid(fields);
    }
    return this.change(
      actor,
      accountId,
      'account.role_removed',
      async (em, a) => {
        if (platformRole !== undefined) {
          if (a.platformRole !== platformRole) throw notFound('role');
          await em
            .getRepository(AccountEntity)
            .update({ id: a.id }, { platformRole: null, integratorId: null });
          a.platformRole = null;
          a.integratorId = null;
          return { endSessions: true, details: { platformRole } };
        }
        const res = await em.getRepository(AccountSchoolRoleEntity).delete({
          accountId: a.id,
          schoolId: schoolId as string,
          role: role as SchoolRole,
        });
        if (!res.affected) throw notFound('role');
        return { endSessions: true, details: { schoolId, role } };
      },
      { schoolId: platformRole === undefined ? (schoolId as string) : null },
    );
  }

  async resetPassword(
    actor: PortalActor,
    accountId: string,
  ): Promise<PasswordReset> {
    assertOperator(actor);
    if (accountId === actor.account.id)
      throw conflict(
        'change your own password with your current one instead of resetting it',
      );
    const oneTimePassword = newOneTimePassword();
    const passwordHash = await hashSecret(oneTimePassword);
    const account = await this.change(
      actor,
      accountId,
      'account.password_reset',
      async (em, a) => {
        await em
          .getRepository(AccountEntity)
          .update(
            { id: a.id },
            { passwordHash, mustChangePassword: true, passwordChangedAt: null },
          );
        a.mustChangePassword = true;
        return { endSessions: true, details: {} };
      },
    );
    return { account, oneTimePassword };
  }

  /**
   * The caller changes its own password (current one required); every other session and
   * grant of the account ends, the calling session (`sessionId`) stays.
   */
  async changeOwnPassword(
    actor: PortalActor,
    body: unknown,
    sessionId: string,
  ): Promise<void> {
    const input = objectBody(body);
    if (!input) throw invalid({ body: 'must be a JSON object' });
    const current = input['currentPassword'];
    const next = input['newPassword'];
    const fields: Record<string, string> = {};
    if (typeof current !== 'string' || !current)
      fields['currentPassword'] = 'is required';
    if (typeof next !== 'string' || !next)
      fields['newPassword'] = 'is required';
    if (Object.keys(fields).length) throw invalid(fields);
    const account = await this.ds
      .getRepository(AccountEntity)
      .findOneBy({ id: actor.account.id });
    if (!account) throw notFound('account');
    if (!(await verifySecret(current as string, account.passwordHash)))
      throw invalid({ currentPassword: 'is not your current password' });
    const problem = passwordProblem(next as string, {
      email: account.email,
      current: current as string,
    });
    if (problem) throw invalid({ newPassword: problem });
    const passwordHash = await hashSecret(next as string);
    await inTransaction(this.ds, async (em) => {
      const res = await em.getRepository(AccountEntity).update(
        { id: account.id, passwordHash: account.passwordHash },
        {
          passwordHash,
          mustChangePassword: false,
          passwordChangedAt: new Date(),
        },
      );
      if (!res.affected)
        throw conflict('the password changed meanwhile; try again');
      const portalSessions = await this.sessions.endAllOf(account.id, {
        keep: sessionId,
        em,
      });
      await recordAudit(em, actor, {
        action: 'account.password_changed',
        targetType: 'account',
        targetId: account.id,
        details: { otherPortalSessionsEnded: portalSessions },
      });
    });
    await this.endOidcSessions(account.id);
  }

  /**
   * One operator change of `accountId`, in a transaction with its audit event and, when it
   * says so, the end of the account's portal sessions; then the end of its sessions and
   * grants at the authorization server. `apply` answers null when nothing changes (no event).
   */
  private async change(
    actor: PortalActor,
    accountId: string,
    action: string,
    apply: (
      em: EntityManager,
      account: AccountEntity,
    ) => Promise<{
      endSessions: boolean;
      details: Record<string, unknown>;
    } | null>,
    audit: { schoolId?: string | null } = {},
  ): Promise<AccountView> {
    const outcome = await inTransaction(this.ds, async (em) => {
      const account = await em
        .getRepository(AccountEntity)
        .findOneBy({ id: accountId });
      if (!account) throw notFound('account');
      const applied = await apply(em, account);
      const roles = await em
        .getRepository(AccountSchoolRoleEntity)
        .findBy({ accountId });
      if (!applied) return { account, roles, endSessions: false };
      const portalSessionsEnded = applied.endSessions
        ? await this.sessions.endAllOf(accountId, { em })
        : 0;
      await recordAudit(em, actor, {
        action,
        targetType: 'account',
        targetId: accountId,
        schoolId: audit.schoolId ?? null,
        details: {
          email: account.email,
          ...applied.details,
          ...(applied.endSessions ? { portalSessionsEnded } : {}),
        },
      });
      return { account, roles, endSessions: applied.endSessions };
    });
    if (outcome.endSessions) await this.endOidcSessions(accountId);
    return accountView(outcome.account, outcome.roles);
  }
}

const summary = (a: AccountEntity) => ({
  id: a.id,
  email: a.email,
  displayName: a.displayName,
});

export function accountView(
  a: AccountEntity,
  roles: AccountSchoolRoleEntity[],
): AccountView {
  return {
    id: a.id,
    email: a.email,
    displayName: a.displayName,
    platformRole: a.platformRole ?? null,
    integratorId: a.integratorId ?? null,
    schoolRoles: roles
      .filter((r) => r.accountId === a.id)
      .map((r) => ({ schoolId: r.schoolId, role: r.role })),
    disabled: !!a.disabled,
    mustChangePassword: !!a.mustChangePassword,
  };
}
