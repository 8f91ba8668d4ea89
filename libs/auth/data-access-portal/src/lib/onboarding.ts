import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  PLATFORM_ROLES,
  SCHOOL_ROLES,
  type AccountView,
  type CreatedAccount,
  type IntegratorSummary,
  type PlatformRole,
  type SchoolRole,
  type SchoolSummary,
} from '@oneroster/contracts';
import { schoolIdForOrg } from '@oneroster/data-access-csv';
import {
  AccountEntity,
  AccountSchoolRoleEntity,
  IntegratorEntity,
  SchoolEntity,
} from '@oneroster/entities';
import { accountView, createAccountWithOneTimePassword } from './accounts';
import { assertOperator, type PortalActor } from './actor';
import { recordAudit } from './audit';
import { inTransaction } from './transaction';
import { conflict, invalid, isUniqueViolation } from './errors';
import { FieldErrors, objectBody } from './validation';
import { integratorSummary, schoolSummary } from './views';

/**
 * What platform operators set up: integrators, schools and accounts. A new account gets a
 * random one-time password (shown once, stored as a scrypt hash) that it must change at its
 * first sign-in (accounts.ts). A school's id derives from
 * its Org's sourcedId exactly as a CSV import derives it, so importing its data later lands
 * in this school.
 */
export class PortalOnboarding {
  constructor(private readonly ds: DataSource) {}

  async integrators(actor: PortalActor): Promise<IntegratorSummary[]> {
    assertOperator(actor);
    const rows = await this.ds
      .getRepository(IntegratorEntity)
      .find({ order: { name: 'ASC' } });
    return rows.map(integratorSummary);
  }

  async createIntegrator(
    actor: PortalActor,
    body: unknown,
  ): Promise<IntegratorSummary> {
    assertOperator(actor);
    const input = objectBody(body);
    if (!input) throw invalid({ body: 'must be a JSON object' });
    const errors = new FieldErrors();
    const name = errors.text(input, 'name', 200) as string;
    const website = errors.url(input, 'website') ?? null;
    const contactEmail = errors.email(input, 'contactEmail', true) ?? null;
    if (!errors.empty) throw invalid(errors.fields);
    const row: IntegratorEntity = {
      id: randomUUID(),
      name,
      website,
      contactEmail,
      createdAt: new Date(),
    };
    await inTransaction(this.ds, async (em) => {
      await em.getRepository(IntegratorEntity).insert(row);
      await recordAudit(em, actor, {
        action: 'integrator.created',
        targetType: 'integrator',
        targetId: row.id,
        details: { name, website, contactEmail },
      });
    });
    return integratorSummary(row);
  }

  async schools(actor: PortalActor): Promise<SchoolSummary[]> {
    assertOperator(actor);
    const rows = await this.ds
      .getRepository(SchoolEntity)
      .find({ order: { name: 'ASC' } });
    return rows.map(schoolSummary);
  }

  async createSchool(
    actor: PortalActor,
    body: unknown,
  ): Promise<SchoolSummary> {
    assertOperator(actor);
    const input = objectBody(body);
    if (!input) throw invalid({ body: 'must be a JSON object' });
    const errors = new FieldErrors();
    const name = errors.text(input, 'name', 200) as string;
    const identifier = errors.text(input, 'identifier', 64, true) ?? null;
    const orgSourcedId = errors.text(input, 'orgSourcedId', 255) as string;
    const sandbox = input['sandbox'] ?? false;
    if (typeof sandbox !== 'boolean')
      errors.add('sandbox', 'must be true or false');
    if (!errors.empty) throw invalid(errors.fields);
    const row: SchoolEntity = {
      id: schoolIdForOrg(orgSourcedId),
      name,
      orgSourcedId,
      identifier,
      sandbox: sandbox as boolean,
      createdAt: new Date(),
    };
    try {
      await inTransaction(this.ds, async (em) => {
        await em.getRepository(SchoolEntity).insert(row);
        await recordAudit(em, actor, {
          action: 'school.created',
          targetType: 'school',
          targetId: row.id,
          schoolId: row.id,
          details: { name, identifier, orgSourcedId, sandbox },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw conflict('a school with this orgSourcedId already exists');
      throw err;
    }
    return schoolSummary(row);
  }

  async accounts(actor: PortalActor): Promise<AccountView[]> {
    assertOperator(actor);
    const [accounts, roles] = await Promise.all([
      this.ds.getRepository(AccountEntity).find({ order: { email: 'ASC' } }),
      this.ds.getRepository(AccountSchoolRoleEntity).find(),
    ]);
    return accounts.map((a) => accountView(a, roles));
  }

  async createAccount(
    actor: PortalActor,
    body: unknown,
  ): Promise<CreatedAccount> {
    assertOperator(actor);
    const input = objectBody(body);
    if (!input) throw invalid({ body: 'must be a JSON object' });
    const errors = new FieldErrors();
    const email = errors.email(input, 'email') as string;
    const displayName = errors.text(input, 'displayName', 200) as string;
    const platformRole = (input['platformRole'] ?? null) as PlatformRole | null;
    if (platformRole !== null && !PLATFORM_ROLES.includes(platformRole))
      errors.add(
        'platformRole',
        `must be one of ${PLATFORM_ROLES.join(', ')} or null`,
      );
    const integratorId = (input['integratorId'] ?? null) as string | null;
    if (integratorId !== null && typeof integratorId !== 'string')
      errors.add('integratorId', 'must be an integrator id or null');
    else if (platformRole === 'integrator_developer' && !integratorId)
      errors.add('integratorId', 'is required for an integrator developer');
    else if (integratorId && platformRole !== 'integrator_developer')
      errors.add('integratorId', 'is only for integrator developers');
    else if (
      integratorId &&
      !(await this.ds
        .getRepository(IntegratorEntity)
        .existsBy({ id: integratorId }))
    )
      errors.add('integratorId', 'is not a known integrator');
    const rawRoles = input['schoolRoles'] ?? [];
    const schoolRoles: { schoolId: string; role: SchoolRole }[] = [];
    if (!Array.isArray(rawRoles) || rawRoles.length > 100)
      errors.add('schoolRoles', 'must be an array of { schoolId, role }');
    else {
      const schools = new Set(
        (
          await this.ds
            .getRepository(SchoolEntity)
            .find({ select: { id: true } })
        ).map((s) => s.id),
      );
      for (const [i, r] of (rawRoles as unknown[]).entries()) {
        const o = objectBody(r);
        if (!o || !schools.has(o['schoolId'] as string))
          errors.add(`schoolRoles[${i}].schoolId`, 'is not a known school');
        else if (!SCHOOL_ROLES.includes(o['role'] as SchoolRole))
          errors.add(
            `schoolRoles[${i}].role`,
            `must be one of ${SCHOOL_ROLES.join(', ')}`,
          );
        else if (
          !schoolRoles.some(
            (x) => x.schoolId === o['schoolId'] && x.role === o['role'],
          )
        )
          schoolRoles.push({
            schoolId: o['schoolId'] as string,
            role: o['role'] as SchoolRole,
          });
      }
    }
    if (!errors.empty) throw invalid(errors.fields);
    const { account, oneTimePassword } = await createAccountWithOneTimePassword(
      this.ds,
      { email, displayName, platformRole, integratorId, schoolRoles },
      actor,
    );
    return { ...account, initialPassword: oneTimePassword };
  }
}
