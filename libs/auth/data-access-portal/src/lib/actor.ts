import type { DataSource } from 'typeorm';
import type {
  AccountSummary,
  PortalMe,
  SchoolRole,
} from '@oneroster/contracts';
import {
  AccountEntity,
  AccountSchoolRoleEntity,
  IntegratorEntity,
  SchoolEntity,
} from '@oneroster/entities';
import { forbidden, notFound } from './errors';
import { integratorSummary, schoolSummary } from './views';

/**
 * Who is calling and what they may do. Role rules:
 * - operator: `accounts.platform_role = 'operator'`;
 * - integrator developer: `platform_role = 'integrator_developer'` with `integrator_id`,
 *   for that integrator's applications and credentials only;
 * - school administrator: `account_school_roles.role = 'school_admin'`, for that school only.
 * An account without the role a route needs gets `forbidden`; one with the role but for
 * another school or integrator gets `not_found`, exactly as for an id that does not exist.
 * A disabled account, or one holding a one-time password it has not changed yet, is no
 * actor at all (no portal session opens or works for it).
 */
export interface PortalActor {
  account: AccountSummary;
  operator: boolean;
  /** Set for integrator developers. */
  integratorId: string | null;
  schoolRoles: Map<string, SchoolRole[]>;
  /** Where the request came from, for the audit trail. */
  ip: string | null;
}

export async function loadActor(
  ds: DataSource,
  accountId: string,
  ip: string | null,
): Promise<PortalActor | null> {
  const account = await ds
    .getRepository(AccountEntity)
    .findOneBy({ id: accountId });
  if (!account || account.disabled || account.mustChangePassword) return null;
  const roles = await ds
    .getRepository(AccountSchoolRoleEntity)
    .findBy({ accountId });
  const schoolRoles = new Map<string, SchoolRole[]>();
  for (const r of roles)
    schoolRoles.set(r.schoolId, [
      ...(schoolRoles.get(r.schoolId) ?? []),
      r.role,
    ]);
  return {
    account: {
      id: account.id,
      email: account.email,
      displayName: account.displayName,
    },
    operator: account.platformRole === 'operator',
    integratorId:
      account.platformRole === 'integrator_developer'
        ? account.integratorId
        : null,
    schoolRoles,
    ip,
  };
}

export async function describeActor(
  ds: DataSource,
  actor: PortalActor,
  csrfToken: string,
): Promise<PortalMe> {
  const integrator = actor.integratorId
    ? await ds
        .getRepository(IntegratorEntity)
        .findOneBy({ id: actor.integratorId })
    : null;
  const ids = [...actor.schoolRoles.keys()];
  const schools = ids.length
    ? await ds
        .getRepository(SchoolEntity)
        .createQueryBuilder('s')
        .where('s.id IN (:...ids)', { ids })
        .orderBy('s.name')
        .getMany()
    : [];
  return {
    account: actor.account,
    operator: actor.operator,
    integrator: integrator ? integratorSummary(integrator) : null,
    schools: schools.map((s) => ({
      ...schoolSummary(s),
      roles: [...(actor.schoolRoles.get(s.id) ?? [])].sort(),
    })),
    csrfToken,
  };
}

export const isSchoolAdmin = (actor: PortalActor, schoolId: string) =>
  actor.schoolRoles.get(schoolId)?.includes('school_admin') ?? false;

const adminsAnySchool = (actor: PortalActor) =>
  [...actor.schoolRoles.values()].some((r) => r.includes('school_admin'));

export function assertOperator(actor: PortalActor): void {
  if (!actor.operator) throw forbidden('only platform operators may do this');
}

/** A school administrator of `schoolId`. */
export function assertSchoolAdmin(actor: PortalActor, schoolId: string): void {
  if (isSchoolAdmin(actor, schoolId)) return;
  if (!adminsAnySchool(actor))
    throw forbidden('only school administrators may do this');
  throw notFound('school');
}

/** An integrator developer (of any integrator). */
export function assertDeveloper(actor: PortalActor): string {
  if (!actor.integratorId)
    throw forbidden('only integrator developers may do this');
  return actor.integratorId;
}

/** A developer of `integratorId`. */
export function assertDeveloperOf(
  actor: PortalActor,
  integratorId: string | null | undefined,
  what: string,
): void {
  const own = assertDeveloper(actor);
  if (integratorId !== own) throw notFound(what);
}
