import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { CredentialView, IssuedCredential } from '@oneroster/contracts';
import {
  ClientSecretError,
  issueClientSecret,
} from '@oneroster/data-access-auth';
import {
  ApplicationEntity,
  OAuthClientEntity,
  SchoolEntity,
} from '@oneroster/entities';
import { assertDeveloper, assertDeveloperOf, type PortalActor } from './actor';
import { recordAudit } from './audit';
import type { InvalidationBus } from '@oneroster/util-invalidation';
import { inTransactionThenPublish, publishAll } from './transaction';
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
 *   cache and approval cache drop it at once.
 */
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
    const { client } = await this.ownClient(actor, clientId);
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
      });
      client.revokedAt = now;
    }
    return (await this.views([client]))[0];
  }

  private async issue(
    actor: PortalActor,
    app: ApplicationEntity,
    clientId: string,
    schoolId: string | null,
    action: string,
  ): Promise<IssuedCredential> {
    let issued;
    try {
      issued = await issueClientSecret(this.ds, {
        clientId,
        applicationId: app.id,
        schoolId,
      });
    } catch (err) {
      if (err instanceof ClientSecretError) throw conflict(err.message);
      throw err;
    }
    // issueClientSecret has committed its own transaction.
    await publishAll(this.bus, [['client', clientId]]);
    await recordAudit(this.ds, actor, {
      action,
      targetType: 'client',
      targetId: clientId,
      schoolId,
      details: { applicationId: app.id },
    });
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
      };
    });
  }
}
