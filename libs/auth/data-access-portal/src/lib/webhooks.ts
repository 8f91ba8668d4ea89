import type { DataSource } from 'typeorm';
import type {
  CreatedWebhook,
  PlatformPage,
  WebhookDeliveryView,
  WebhookView,
} from '@oneroster/contracts';
import {
  PlatformProblem,
  type PlatformWebhooks,
} from '@oneroster/data-access-platform';
import { assertDeveloper, assertDeveloperOf, type PortalActor } from './actor';
import { recordAudit } from './audit';
import { PortalProblem } from './errors';
import { inTransaction } from './transaction';

/**
 * An integrator's webhooks as its developers manage them in the portal: the platform API's
 * own `PlatformWebhooks` (the same rules, limits and views), behind the portal's roles.
 * Rules:
 * - only developers of the integrator list, register, delete and replay (another
 *   integrator's webhook or delivery is `not_found`, as an unknown one; an account that is
 *   no developer is `forbidden`);
 * - registering, deleting and replaying write an audit event (`webhook.created`,
 *   `webhook.deleted`, `webhook.replayed`) in the change's transaction;
 * - the platform's refusals keep their code, message and fields as a `PortalProblem`.
 */
export class PortalWebhooks {
  constructor(
    private readonly ds: DataSource,
    private readonly webhooks: PlatformWebhooks,
  ) {}

  list(actor: PortalActor, integratorId: string): Promise<WebhookView[]> {
    assertDeveloperOf(actor, integratorId, 'integrator');
    return portalErrors(() => this.webhooks.list(integratorId));
  }

  create(
    actor: PortalActor,
    integratorId: string,
    body: unknown,
  ): Promise<CreatedWebhook> {
    assertDeveloperOf(actor, integratorId, 'integrator');
    return portalErrors(async () => {
      // Checked (its host resolved) before the transaction opens.
      const input = await this.webhooks.check(body);
      return inTransaction(this.ds, async (em) => {
        const created = await this.webhooks.insert(integratorId, input, em);
        await recordAudit(em, actor, {
          action: 'webhook.created',
          targetType: 'webhook',
          targetId: created.id,
          details: { integratorId, url: created.url, events: created.events },
        });
        return created;
      });
    });
  }

  remove(actor: PortalActor, webhookId: string): Promise<void> {
    const integratorId = assertDeveloper(actor);
    return portalErrors(() =>
      inTransaction(this.ds, async (em) => {
        await this.webhooks.remove(integratorId, webhookId, em);
        await recordAudit(em, actor, {
          action: 'webhook.deleted',
          targetType: 'webhook',
          targetId: webhookId,
          details: { integratorId },
        });
      }),
    );
  }

  deliveries(
    actor: PortalActor,
    webhookId: string,
    query: Record<string, unknown>,
  ): Promise<PlatformPage<WebhookDeliveryView>> {
    const integratorId = assertDeveloper(actor);
    return portalErrors(() =>
      this.webhooks.deliveries(integratorId, webhookId, query),
    );
  }

  replay(
    actor: PortalActor,
    webhookId: string,
    deliveryId: string,
  ): Promise<WebhookDeliveryView> {
    const integratorId = assertDeveloper(actor);
    return portalErrors(() =>
      inTransaction(this.ds, async (em) => {
        const replayed = await this.webhooks.replay(
          integratorId,
          webhookId,
          deliveryId,
          em,
        );
        await recordAudit(em, actor, {
          action: 'webhook.replayed',
          targetType: 'webhook',
          targetId: webhookId,
          details: {
            integratorId,
            deliveryId,
            newDeliveryId: replayed.id,
            eventId: replayed.eventId,
          },
        });
        return replayed;
      }),
    );
  }
}

/** The platform's typed refusals, as the portal's (the codes the two share). */
async function portalErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (
      err instanceof PlatformProblem &&
      (err.code === 'not_found' ||
        err.code === 'conflict' ||
        err.code === 'invalid_request')
    )
      throw new PortalProblem(err.code, err.message, err.fields);
    throw err;
  }
}
