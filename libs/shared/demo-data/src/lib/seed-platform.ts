import type { DataSource } from 'typeorm';
import {
  AccountEntity,
  AccountSchoolRoleEntity,
  ApplicationEntity,
  ApprovalEntity,
  IntegratorEntity,
  OAuthClientEntity,
} from '@oneroster/entities';
import {
  ALL_ONEROSTER_SCOPES,
  ALL_SCHOOL_PLATFORM_SCOPES,
  ONEROSTER_SCOPES,
  PLATFORM_SCOPES,
} from '@oneroster/contracts';
import { hashSecret } from '@oneroster/util-secrets';
import type { TrustPlan } from './plan';
import { Random } from './random';

/**
 * The platform side of the demo: a sandbox integrator whose application every demo school
 * has approved with every scope, one client-credentials client per school, and sign-in
 * accounts for an operator, each school's administrator, a teacher and the integrator's
 * developer. Passwords and the sandbox secret are demo values, printed on first start.
 */
export interface DemoCredentials {
  password: string;
  sandboxClientSecret: string;
  operatorEmail: string;
  developerEmail: string;
  schoolAdmins: { school: string; email: string }[];
  teachers: { school: string; email: string }[];
  clients: { school: string; schoolId: string; clientId: string }[];
  /**
   * Each school's MIS connector: collects gradebook write-backs from the change feed, and
   * holds the school platform scope `imports.write` (CSV imports through the platform API).
   */
  misClients: { school: string; schoolId: string; clientId: string }[];
}

export const MIS_CONNECTOR_SCOPES = [
  PLATFORM_SCOPES.gradebookChanges,
  ONEROSTER_SCOPES.gradebookRead,
];

export const SANDBOX_INTEGRATOR_NAME = 'Sandbox Learning Ltd';
export const SANDBOX_APPLICATION_NAME = 'Sandbox Explorer';
export const MIS_INTEGRATOR_NAME = 'School MIS';
export const MIS_APPLICATION_NAME = 'MIS gradebook collector';

export async function seedPlatform(
  ds: DataSource,
  plan: TrustPlan,
  secrets: { password: string; sandboxClientSecret: string },
): Promise<DemoCredentials> {
  const rng = new Random(plan.seed, 100_000);
  const at = plan.asOf;
  const integratorId = rng.uuid();
  const applicationId = rng.uuid();
  const [passwordHash, secretHash] = await Promise.all([
    hashSecret(secrets.password),
    hashSecret(secrets.sandboxClientSecret),
  ]);
  const creds: DemoCredentials = {
    ...secrets,
    operatorEmail: 'operator@platform.example.org',
    developerEmail: 'developer@sandbox-learning.example.com',
    schoolAdmins: [],
    teachers: [],
    clients: [],
    misClients: [],
  };
  // A stream of its own, so that the ids above stay what they were before it existed.
  const misRng = new Random(plan.seed, 100_001);
  const misIntegratorId = misRng.uuid();
  const misApplicationId = misRng.uuid();
  await ds.transaction(async (em) => {
    await em.insert(IntegratorEntity, {
      id: integratorId,
      name: SANDBOX_INTEGRATOR_NAME,
      website: 'https://sandbox-learning.example.com',
      contactEmail: creds.developerEmail,
      createdAt: at,
    });
    await em.insert(ApplicationEntity, {
      id: applicationId,
      integratorId,
      name: SANDBOX_APPLICATION_NAME,
      description:
        'Dummy integrator for trying the OneRoster API against the sandbox schools.',
      requestedScopes: [...ALL_ONEROSTER_SCOPES],
      redirectUris: [
        'https://sandbox-learning.example.com/oidc/callback',
        'http://localhost:8080/callback',
      ],
      createdAt: at,
      updatedAt: at,
    });
    const account = (
      email: string,
      displayName: string,
      extra: Partial<AccountEntity> = {},
    ) => ({
      id: rng.uuid(),
      email,
      displayName,
      passwordHash,
      platformRole: null,
      integratorId: null,
      disabled: false,
      createdAt: at,
      ...extra,
    });
    await em.insert(AccountEntity, [
      account(creds.operatorEmail, 'Platform Operator', {
        platformRole: 'operator',
      }),
      account(creds.developerEmail, 'Sandbox Developer', {
        platformRole: 'integrator_developer',
        integratorId,
      }),
    ]);
    await em.insert(IntegratorEntity, {
      id: misIntegratorId,
      name: MIS_INTEGRATOR_NAME,
      website: null,
      contactEmail: null,
      createdAt: at,
    });
    await em.insert(ApplicationEntity, {
      id: misApplicationId,
      integratorId: misIntegratorId,
      name: MIS_APPLICATION_NAME,
      description:
        "The school's MIS collecting the results integrators wrote back (gradebook change feed).",
      requestedScopes: [...MIS_CONNECTOR_SCOPES],
      redirectUris: [],
      createdAt: at,
      updatedAt: at,
    });
    for (const school of plan.schools) {
      await em.insert(ApprovalEntity, {
        id: rng.uuid(),
        schoolId: school.schoolId,
        applicationId,
        status: 'approved',
        scopes: [...ALL_ONEROSTER_SCOPES],
        requestedAt: at,
        decidedAt: at,
        decidedByAccountId: null,
      });
      const clientId = `sandbox-${school.urn}`;
      await em.insert(OAuthClientEntity, {
        clientId,
        applicationId,
        schoolId: school.schoolId,
        secretHash,
        previousSecretHash: null,
        previousSecretExpiresAt: null,
        createdAt: at,
        revokedAt: null,
      });
      creds.clients.push({
        school: school.name,
        schoolId: school.schoolId,
        clientId,
      });
      const admin = account(
        `admin@${school.domain}`,
        `${school.name} administrator`,
      );
      const teacher = account(
        `teacher@${school.domain}`,
        `${school.name} teacher`,
      );
      // Ids read before the insert: TypeORM's multi-row insert on SQLite writes generated
      // values back onto the objects and can swap them between rows.
      const [adminId, teacherId] = [admin.id, teacher.id];
      await em.insert(AccountEntity, [admin, teacher]);
      await em.insert(AccountSchoolRoleEntity, [
        {
          accountId: adminId,
          schoolId: school.schoolId,
          role: 'school_admin',
          userSourcedId: null,
        },
        {
          accountId: teacherId,
          schoolId: school.schoolId,
          role: 'teacher',
          userSourcedId: null,
        },
      ]);
      const misClientId = `mis-${school.urn}`;
      await em.insert(ApprovalEntity, {
        id: misRng.uuid(),
        schoolId: school.schoolId,
        applicationId: misApplicationId,
        status: 'approved',
        scopes: [...MIS_CONNECTOR_SCOPES],
        requestedAt: at,
        decidedAt: at,
        decidedByAccountId: null,
      });
      await em.insert(OAuthClientEntity, {
        clientId: misClientId,
        applicationId: misApplicationId,
        schoolId: school.schoolId,
        secretHash,
        previousSecretHash: null,
        previousSecretExpiresAt: null,
        createdAt: at,
        revokedAt: null,
        platformScopes: [...ALL_SCHOOL_PLATFORM_SCOPES],
      });
      creds.misClients.push({
        school: school.name,
        schoolId: school.schoolId,
        clientId: misClientId,
      });
      creds.schoolAdmins.push({ school: school.name, email: admin.email });
      creds.teachers.push({ school: school.name, email: teacher.email });
    }
  });
  return creds;
}
