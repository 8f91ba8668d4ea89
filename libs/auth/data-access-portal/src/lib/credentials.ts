import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  ALL_SCHOOL_PLATFORM_SCOPES,
  isSchoolPlatformScope,
  type CredentialView,
  type IssuedCredential,
  type SchoolPlatformScope,
} from '@oneroster/contracts';
import {
  ClientSecretError,
  issueClientSecret,
} from '@oneroster/data-access-auth';
import {
  ApplicationEntity,
  ApprovalEntity,
  OAuthClientEntity,
  SchoolEntity,
} from '@oneroster/entities';
import { emitPlatformEvent } from '@oneroster/data-access-platform';
import {
  assertDeveloper,
  assertDeveloperOf,
  assertSchoolAdmin,
  type PortalActor,
} from './actor';
import { recordAudit } from './audit';
import type { InvalidationBus } from '@oneroster/util-invalidation';
import {
  inTransaction,
  inTransactionThenPublish,
  publishAll,
} from './transaction';
import { conflict, invalid, notFound } from './errors';
import { objectBody } from './validation';
import { iso } from './views';

/**
 * An application's OAuth clients as its developers manage them. Rules:
 * - one live client-credentials client per application and school (a second is a
 *   `conflict`: rotate it instead); its id is new and random; the application's OIDC client
 *   has the application's id and no school;
 * - a secret is shown once, when issued or rotated, and never listed; rotation keeps the
 *   previous secret valid for an overlap (see `issueClientSecret`);
 * - revoking stops the client at once (the token endpoint reads clients on every request);
 *   revoking again is idempotent;
 * - creating a client, rotating its secret and revoking it are published on the
 *   invalidation bus (`client`, the client id) once committed, so every instance's client
 *   cache and approval cache drop it at once;
 * - each of those writes its audit event and its platform event (`credential.issued`,
 *   `credential.rotated`, `credential.revoked`: the integrator's webhooks) in the change's
 *   transaction;
 * - a school's administrators (and operators) see the school's live clients and issue the
 *   school's MIS credential (the client of an application the school approves) with the
 *   school platform scopes they choose (`imports.write`), or change those scopes on one of
 *   the school's clients; developers never set them (a developer's rotation keeps them);
 * - through the platform API (`forSchool` methods, an integrator's platform token) the
 *   same rules hold for the application's client of one school, and only while that school
 *   approves the application; another integrator's application is `not_found`.
 */

/** An integrator calling through the platform API (its platform credential). */
export interface PlatformCaller {
  integratorId: string;
  clientId: string;
}

type CredentialAction = 'client.created' | 'client.secret_rotated';

const EVENT_OF: Record<
  CredentialAction,
  'credential.issued' | 'credential.rotated'
> = {
  'client.created': 'credential.issued',
  'client.secret_rotated': 'credential.rotated',
};
export class PortalCredentials {
  constructor(
    private readonly ds: DataSource,
    private readonly tokenEndpoint: string,
    private readonly bus: InvalidationBus | null = null,
  ) {}

  async list(
    actor: PortalActor,
    applicationId: string,
  ): Promise<CredentialView[]> {
    await this.ownApplication(actor, applicationId);
    const clients = await this.ds
      .getRepository(OAuthClientEntity)
      .find({ where: { applicationId }, order: { createdAt: 'ASC' } });
    return this.views(clients);
  }

  async create(
    actor: PortalActor,
    applicationId: string,
    body: unknown,
  ): Promise<IssuedCredential> {
    const app = await this.ownApplication(actor, applicationId);
    const input = objectBody(body ?? {});
    if (!input) throw invalid({ body: 'must be a JSON object' });
    const raw = input['schoolId'] ?? null;
    if (raw !== null && (typeof raw !== 'string' || !raw))
      throw invalid({
        schoolId: 'must be a school id, or absent for the OIDC client',
      });
    const schoolId = raw as string | null;
    const clients = this.ds.getRepository(OAuthClientEntity);
    let clientId: string;
    if (schoolId) {
      const school = await this.ds
        .getRepository(SchoolEntity)
        .findOneBy({ id: schoolId });
      if (!school) throw invalid({ schoolId: 'is not a known school' });
      const live = await clients
        .createQueryBuilder('c')
        .where('c.applicationId = :applicationId AND c.schoolId = :schoolId', {
          applicationId,
          schoolId,
        })
        .andWhere('c.revokedAt IS NULL')
        .getCount();
      if (live)
        throw conflict(
          'the application already has a client for this school; rotate its secret instead',
        );
      clientId = `cc-${randomBytes(12).toString('base64url')}`;
    } else {
      const existing = await clients.findOneBy({ clientId: app.id });
      if (existing && !existing.revokedAt)
        throw conflict(
          'the application already has an OIDC client; rotate its secret instead',
        );
      clientId = app.id;
    }
    return this.issue(actor, app, clientId, schoolId, 'client.created');
  }

  async rotate(
    actor: PortalActor,
    clientId: string,
  ): Promise<IssuedCredential> {
    const { client, app } = await this.ownClient(actor, clientId);
    if (client.revokedAt)
      throw conflict('the client is revoked; create a new credential instead');
    return this.issue(
      actor,
      app,
      client.clientId,
      client.schoolId ?? null,
      'client.secret_rotated',
    );
  }

  async revoke(actor: PortalActor, clientId: string): Promise<CredentialView> {
    const { client, app } = await this.ownClient(actor, clientId);
    if (!client.revokedAt) {
      const now = new Date();
      await inTransactionThenPublish(this.ds, this.bus, async (em, note) => {
        await em
          .getRepository(OAuthClientEntity)
          .update({ clientId }, { revokedAt: now });
        note('client', clientId);
        await recordAudit(em, actor, {
          action: 'client.revoked',
          targetType: 'client',
          targetId: clientId,
          schoolId: client.schoolId ?? null,
          details: { applicationId: client.applicationId },
        });
        await emitPlatformEvent(em, app.integratorId, 'credential.revoked', {
          clientId,
          applicationId: client.applicationId,
          schoolId: client.schoolId ?? null,
        });
      });
      client.revokedAt = now;
    }
    return (await this.views([client]))[0];
  }

  /** Issues the application's client for an approving school (platform API). */
  async issueForSchool(
    caller: PlatformCaller,
    applicationId: string,
    schoolId: string,
  ): Promise<IssuedCredential> {
    const app = await this.approvedBy(caller, applicationId, schoolId);
    const live = await this.liveSchoolClient(applicationId, schoolId);
    if (live)
      throw conflict(
        'the application already has a client for this school; rotate its secret instead',
      );
    const clientId = `cc-${randomBytes(12).toString('base64url')}`;
    return this.issue(
      platformAudit(caller),
      app,
      clientId,
      schoolId,
      'client.created',
    );
  }

  /** Rotates the secret of the application's live client for an approving school. */
  async rotateForSchool(
    caller: PlatformCaller,
    applicationId: string,
    schoolId: string,
  ): Promise<IssuedCredential> {
    const app = await this.approvedBy(caller, applicationId, schoolId);
    const live = await this.liveSchoolClient(applicationId, schoolId);
    if (!live) throw notFound('credential');
    return this.issue(
      platformAudit(caller),
      app,
      live.clientId,
      schoolId,
      'client.secret_rotated',
    );
  }

  /** Revokes the application's live client for a school (approving or not). */
  async revokeForSchool(
    caller: PlatformCaller,
    applicationId: string,
    schoolId: string,
  ): Promise<CredentialView> {
    const app = await this.integratorApplication(caller, applicationId);
    const live = await this.liveSchoolClient(app.id, schoolId);
    if (!live) throw notFound('credential');
    const now = new Date();
    const audit = platformAudit(caller);
    await inTransactionThenPublish(this.ds, this.bus, async (em, note) => {
      await em
        .getRepository(OAuthClientEntity)
        .update({ clientId: live.clientId }, { revokedAt: now });
      note('client', live.clientId);
      await recordAudit(em, null, {
        action: 'client.revoked',
        targetType: 'client',
        targetId: live.clientId,
        schoolId,
        details: { applicationId: app.id, ...audit.details },
      });
      await emitPlatformEvent(em, app.integratorId, 'credential.revoked', {
        clientId: live.clientId,
        applicationId: app.id,
        schoolId,
      });
    });
    live.revokedAt = now;
    return (await this.views([live]))[0];
  }

  /**
   * The school's live client-credentials clients with the platform scopes each holds
   * (school administrators of the school, operators).
   */
  async listForSchool(
    actor: PortalActor,
    schoolId: string,
  ): Promise<CredentialView[]> {
    await this.schoolAdminOrOperator(actor, schoolId);
    const clients = await this.ds
      .getRepository(OAuthClientEntity)
      .createQueryBuilder('c')
      .where('c.schoolId = :schoolId AND c.revokedAt IS NULL', { schoolId })
      .orderBy('c.createdAt', 'ASC')
      .getMany();
    return this.views(clients);
  }

  /**
   * Issues the school's MIS credential: the client of an application the school approves,
   * for the school, holding the chosen school platform scopes (`imports.write`). Only the
   * school's administrators and operators grant those scopes, never the integrator. One live
   * client per application and school, as for the developers' credentials (409).
   */
  async issueMis(
    actor: PortalActor,
    schoolId: string,
    body: unknown,
  ): Promise<IssuedCredential> {
    await this.schoolAdminOrOperator(actor, schoolId);
    const input = objectBody(body ?? {});
    if (!input) throw invalid({ body: 'must be a JSON object' });
    const applicationId = input['applicationId'];
    const fields: Record<string, string> = {};
    if (typeof applicationId !== 'string' || !applicationId)
      fields['applicationId'] = 'must be the id of an application';
    const platformScopes = schoolPlatformScopes(
      input['platformScopes'] ?? [...ALL_SCHOOL_PLATFORM_SCOPES],
      false,
      fields,
    );
    if (Object.keys(fields).length) throw invalid(fields);
    const app = await this.ds
      .getRepository(ApplicationEntity)
      .findOneBy({ id: applicationId as string });
    if (!app) throw notFound('application');
    const approval = await this.ds
      .getRepository(ApprovalEntity)
      .findOneBy({ applicationId: app.id, schoolId });
    if (approval?.status !== 'approved')
      throw conflict(
        'the school does not approve this application; approve it first',
      );
    if (await this.liveSchoolClient(app.id, schoolId))
      throw conflict(
        'the application already has a client for this school; change its platform scopes instead',
      );
    const clientId = `cc-${randomBytes(12).toString('base64url')}`;
    return this.issue(
      actor,
      app,
      clientId,
      schoolId,
      'client.created',
      platformScopes,
    );
  }

  /**
   * Sets the platform scopes of one of the school's live clients (`[]` takes them away);
   * its platform tokens lose a scope at once (the platform API reads the client on every
   * request). School administrators of the school, operators.
   */
  async setMisScopes(
    actor: PortalActor,
    schoolId: string,
    clientId: string,
    body: unknown,
  ): Promise<CredentialView> {
    await this.schoolAdminOrOperator(actor, schoolId);
    const input = objectBody(body ?? {});
    if (!input) throw invalid({ body: 'must be a JSON object' });
    const fields: Record<string, string> = {};
    const platformScopes = schoolPlatformScopes(
      input['platformScopes'],
      true,
      fields,
    );
    if (Object.keys(fields).length) throw invalid(fields);
    const client = await this.ds
      .getRepository(OAuthClientEntity)
      .findOneBy({ clientId });
    if (!client || client.schoolId !== schoolId || client.revokedAt)
      throw notFound('client');
    const previous = client.platformScopes ?? [];
    if (
      previous.length !== platformScopes.length ||
      previous.some((s) => !(platformScopes as string[]).includes(s))
    ) {
      await inTransactionThenPublish(this.ds, this.bus, async (em, note) => {
        await em
          .getRepository(OAuthClientEntity)
          .update({ clientId }, { platformScopes });
        note('client', clientId);
        await recordAudit(em, actor, {
          action: 'client.platform_scopes_changed',
          targetType: 'client',
          targetId: clientId,
          schoolId,
          details: {
            applicationId: client.applicationId,
            previous,
            platformScopes,
          },
        });
      });
      client.platformScopes = platformScopes;
    }
    return (await this.views([client]))[0];
  }

  private async schoolAdminOrOperator(actor: PortalActor, schoolId: string) {
    if (actor.operator) {
      if (
        !(await this.ds.getRepository(SchoolEntity).existsBy({ id: schoolId }))
      )
        throw notFound('school');
      return;
    }
    assertSchoolAdmin(actor, schoolId);
  }

  private async integratorApplication(
    caller: PlatformCaller,
    applicationId: string,
  ): Promise<ApplicationEntity> {
    const app = await this.ds
      .getRepository(ApplicationEntity)
      .findOneBy({ id: applicationId });
    if (!app || app.integratorId !== caller.integratorId)
      throw notFound('application');
    return app;
  }

  private async approvedBy(
    caller: PlatformCaller,
    applicationId: string,
    schoolId: string,
  ): Promise<ApplicationEntity> {
    const app = await this.integratorApplication(caller, applicationId);
    const approval = await this.ds
      .getRepository(ApprovalEntity)
      .findOneBy({ applicationId, schoolId });
    // A school that never heard of the application looks like one that does not exist.
    if (!approval) throw notFound('school');
    if (approval.status !== 'approved')
      throw conflict(
        `the school's approval is ${approval.status}; credentials are issued only for schools that approved`,
      );
    return app;
  }

  private liveSchoolClient(applicationId: string, schoolId: string) {
    return this.ds
      .getRepository(OAuthClientEntity)
      .createQueryBuilder('c')
      .where('c.applicationId = :applicationId AND c.schoolId = :schoolId', {
        applicationId,
        schoolId,
      })
      .andWhere('c.revokedAt IS NULL')
      .getOne();
  }

  private async issue(
    actor: PortalActor | AuditAs,
    app: ApplicationEntity,
    clientId: string,
    schoolId: string | null,
    action: CredentialAction,
    platformScopes?: string[],
  ): Promise<IssuedCredential> {
    const by = 'platform' in actor ? null : actor;
    const extra = {
      ...('platform' in actor ? actor.details : {}),
      ...(platformScopes ? { platformScopes } : {}),
    };
    let issued;
    try {
      // The secret, its audit event and its platform event change together.
      issued = await inTransaction(this.ds, async (em) => {
        const secret = await issueClientSecret(em, {
          clientId,
          applicationId: app.id,
          schoolId,
        });
        if (platformScopes)
          await em
            .getRepository(OAuthClientEntity)
            .update({ clientId }, { platformScopes });
        await recordAudit(em, by, {
          action,
          targetType: 'client',
          targetId: clientId,
          schoolId,
          details: { applicationId: app.id, ...extra },
        });
        await emitPlatformEvent(em, app.integratorId, EVENT_OF[action], {
          clientId,
          applicationId: app.id,
          schoolId,
          previousSecretExpiresAt: iso(secret.previousSecretExpiresAt),
        });
        return secret;
      });
    } catch (err) {
      if (err instanceof ClientSecretError) throw conflict(err.message);
      throw err;
    }
    await publishAll(this.bus, [['client', clientId]]);
    const client = await this.ds
      .getRepository(OAuthClientEntity)
      .findOneByOrFail({ clientId });
    const [view] = await this.views([client]);
    return {
      ...view,
      clientSecret: issued.clientSecret,
      tokenEndpoint: this.tokenEndpoint,
    };
  }

  private async ownApplication(
    actor: PortalActor,
    applicationId: string,
  ): Promise<ApplicationEntity> {
    assertDeveloper(actor);
    const app = await this.ds
      .getRepository(ApplicationEntity)
      .findOneBy({ id: applicationId });
    assertDeveloperOf(actor, app?.integratorId, 'application');
    return app as ApplicationEntity;
  }

  private async ownClient(actor: PortalActor, clientId: string) {
    assertDeveloper(actor);
    const client = await this.ds
      .getRepository(OAuthClientEntity)
      .findOneBy({ clientId });
    const app = client
      ? await this.ds
          .getRepository(ApplicationEntity)
          .findOneBy({ id: client.applicationId })
      : null;
    assertDeveloperOf(actor, app?.integratorId, 'client');
    if (!client || !app) throw notFound('client');
    return { client, app };
  }

  private async views(clients: OAuthClientEntity[]): Promise<CredentialView[]> {
    const schools = await this.ds.getRepository(SchoolEntity).find();
    const name = new Map(schools.map((s) => [s.id, s.name]));
    const now = Date.now();
    return clients.map((c) => {
      const schoolId = c.schoolId ?? null;
      const overlap =
        c.previousSecretHash &&
        c.previousSecretExpiresAt &&
        new Date(c.previousSecretExpiresAt).getTime() > now
          ? iso(c.previousSecretExpiresAt)
          : null;
      return {
        clientId: c.clientId,
        applicationId: c.applicationId,
        schoolId,
        schoolName: schoolId ? (name.get(schoolId) ?? null) : null,
        kind: schoolId ? 'client_credentials' : 'oidc',
        createdAt: iso(c.createdAt) as string,
        previousSecretExpiresAt: c.revokedAt ? null : overlap,
        revokedAt: iso(c.revokedAt),
        platformScopes: schoolId ? [...(c.platformScopes ?? [])] : [],
      };
    });
  }
}

/** A list of distinct school platform scopes (`fields` says what is wrong). */
function schoolPlatformScopes(
  raw: unknown,
  allowEmpty: boolean,
  fields: Record<string, string>,
): SchoolPlatformScope[] {
  if (
    !Array.isArray(raw) ||
    (!allowEmpty && !raw.length) ||
    !raw.every(isSchoolPlatformScope) ||
    new Set(raw).size !== raw.length
  ) {
    fields['platformScopes'] =
      `must be a ${allowEmpty ? '' : 'non-empty '}list of distinct school platform scopes: ${ALL_SCHOOL_PLATFORM_SCOPES.join(', ')}`;
    return [];
  }
  return raw;
}

/** Audit details of a change made through the platform API (no account: the integrator). */
interface AuditAs {
  platform: true;
  details: Record<string, unknown>;
}

const platformAudit = (caller: PlatformCaller): AuditAs => ({
  platform: true,
  details: {
    via: 'platform_api',
    integratorId: caller.integratorId,
    platformClientId: caller.clientId,
  },
});
