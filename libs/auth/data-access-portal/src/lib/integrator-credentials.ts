import type { DataSource } from 'typeorm';
import {
  ALL_INTEGRATOR_API_SCOPES,
  isIntegratorApiScope,
  type IntegratorApiScope,
  type IntegratorCredentialView,
  type IssuedIntegratorCredential,
} from '@oneroster/contracts';
import {
  createIntegratorClient,
  rotateIntegratorClient,
} from '@oneroster/data-access-auth';
import { IntegratorClientEntity } from '@oneroster/entities';
import { assertDeveloper, assertDeveloperOf, type PortalActor } from './actor';
import { recordAudit } from './audit';
import { conflict, invalid, notFound } from './errors';
import { inTransaction } from './transaction';
import { objectBody } from './validation';
import { iso } from './views';

/** Live platform credentials an integrator may hold at once. */
export const MAX_LIVE_INTEGRATOR_CREDENTIALS = 10;

/**
 * An integrator's platform credentials (client credentials of the integrator, for the
 * platform API) as its developers manage them in the portal. Rules:
 * - only the integrator's developers list, create, rotate and revoke them (another
 *   integrator's is `not_found`);
 * - `scopes`: a non-empty list of distinct platform scopes (`approvals.read`,
 *   `credentials.manage`, `webhooks.manage`); absent: all of them;
 * - the secret is shown once; rotation keeps the previous one valid for 24 hours, as for
 *   school clients; revoking stops the credential at once (it is read on every token
 *   request) and is idempotent; a revoked one cannot be rotated (`conflict`);
 * - every change writes an audit event (`platform_client.created`, `.secret_rotated`,
 *   `.revoked`) in its transaction.
 */
export class PortalIntegratorCredentials {
  constructor(
    private readonly ds: DataSource,
    private readonly tokenEndpoint: string,
    private readonly platformAudience: string,
  ) {}

  async list(
    actor: PortalActor,
    integratorId: string,
  ): Promise<IntegratorCredentialView[]> {
    assertDeveloperOf(actor, integratorId, 'integrator');
    const rows = await this.ds
      .getRepository(IntegratorClientEntity)
      .find({ where: { integratorId }, order: { createdAt: 'ASC' } });
    return rows.map(view);
  }

  async create(
    actor: PortalActor,
    integratorId: string,
    body: unknown,
  ): Promise<IssuedIntegratorCredential> {
    assertDeveloperOf(actor, integratorId, 'integrator');
    const input = objectBody(body ?? {});
    if (!input) throw invalid({ body: 'must be a JSON object' });
    const raw = input['scopes'] ?? [...ALL_INTEGRATOR_API_SCOPES];
    if (
      !Array.isArray(raw) ||
      !raw.length ||
      !raw.every(isIntegratorApiScope) ||
      new Set(raw).size !== raw.length
    )
      throw invalid({
        scopes: `must be a non-empty list of distinct platform scopes: ${ALL_INTEGRATOR_API_SCOPES.join(', ')}`,
      });
    const live = await this.ds
      .getRepository(IntegratorClientEntity)
      .createQueryBuilder('c')
      .where('c.integratorId = :integratorId AND c.revokedAt IS NULL', {
        integratorId,
      })
      .getCount();
    if (live >= MAX_LIVE_INTEGRATOR_CREDENTIALS)
      throw conflict(
        `the integrator already holds ${MAX_LIVE_INTEGRATOR_CREDENTIALS} live platform credentials; revoke one first`,
      );
    const issued = await inTransaction(this.ds, async (em) => {
      const created = await createIntegratorClient(
        em,
        integratorId,
        raw as IntegratorApiScope[],
      );
      await recordAudit(em, actor, {
        action: 'platform_client.created',
        targetType: 'platform_client',
        targetId: created.client.clientId,
        details: { integratorId, scopes: raw },
      });
      return created;
    });
    return this.issued(issued.client, issued.clientSecret);
  }

  async rotate(
    actor: PortalActor,
    clientId: string,
  ): Promise<IssuedIntegratorCredential> {
    const client = await this.own(actor, clientId);
    if (client.revokedAt)
      throw conflict('the credential is revoked; create a new one instead');
    const issued = await inTransaction(this.ds, async (em) => {
      const rotated = await rotateIntegratorClient(em, client);
      if (!rotated)
        throw conflict('the credential changed meanwhile; reload and retry');
      await recordAudit(em, actor, {
        action: 'platform_client.secret_rotated',
        targetType: 'platform_client',
        targetId: clientId,
        details: { integratorId: client.integratorId },
      });
      return rotated;
    });
    return this.issued(issued.client, issued.clientSecret);
  }

  async revoke(
    actor: PortalActor,
    clientId: string,
  ): Promise<IntegratorCredentialView> {
    const client = await this.own(actor, clientId);
    if (!client.revokedAt) {
      const now = new Date();
      await inTransaction(this.ds, async (em) => {
        await em
          .getRepository(IntegratorClientEntity)
          .update({ clientId }, { revokedAt: now });
        await recordAudit(em, actor, {
          action: 'platform_client.revoked',
          targetType: 'platform_client',
          targetId: clientId,
          details: { integratorId: client.integratorId },
        });
      });
      client.revokedAt = now;
    }
    return view(client);
  }

  private async own(
    actor: PortalActor,
    clientId: string,
  ): Promise<IntegratorClientEntity> {
    assertDeveloper(actor);
    const client = await this.ds
      .getRepository(IntegratorClientEntity)
      .findOneBy({ clientId });
    assertDeveloperOf(actor, client?.integratorId, 'credential');
    if (!client) throw notFound('credential');
    return client;
  }

  private issued(
    client: IntegratorClientEntity,
    clientSecret: string,
  ): IssuedIntegratorCredential {
    return {
      ...view(client),
      clientSecret,
      tokenEndpoint: this.tokenEndpoint,
      resource: this.platformAudience,
    };
  }
}

const view = (c: IntegratorClientEntity): IntegratorCredentialView => {
  const overlap =
    !c.revokedAt &&
    c.previousSecretHash &&
    c.previousSecretExpiresAt &&
    new Date(c.previousSecretExpiresAt).getTime() > Date.now()
      ? iso(c.previousSecretExpiresAt)
      : null;
  return {
    clientId: c.clientId,
    integratorId: c.integratorId,
    scopes: c.scopes as IntegratorApiScope[],
    createdAt: iso(c.createdAt) as string,
    previousSecretExpiresAt: overlap,
    revokedAt: iso(c.revokedAt),
  };
};
