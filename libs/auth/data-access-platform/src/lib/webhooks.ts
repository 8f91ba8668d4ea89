import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import {
  PLATFORM_EVENT_TYPES,
  type CreatedWebhook,
  type PlatformEventType,
  type PlatformPage,
  type WebhookDeliveryView,
  type WebhookInput,
  type WebhookView,
} from '@oneroster/contracts';
import {
  PlatformEventEntity,
  WebhookAttemptEntity,
  WebhookDeliveryEntity,
  WebhookEndpointEntity,
} from '@oneroster/entities';
import { platformInvalid, platformNotFound } from './errors';
import { newWebhookSecret } from './signature';
import { pageOf } from './paging';
import {
  checkedTarget,
  systemResolveAll,
  WebhookTargetRefused,
  type ResolveAll,
} from './webhook-targets';

/** Endpoints an integrator may register at most. */
export const MAX_WEBHOOKS_PER_INTEGRATOR = 20;
/** How long registration waits for the URL's host to resolve before it lets it pass. */
const REGISTRATION_LOOKUP_MS = 3000;

export interface PlatformWebhooksOptions {
  /** http URLs on a loopback host, and loopback targets (WEBHOOK_ALLOW_LOOPBACK_HTTP). */
  allowLoopbackHttp: boolean;
  /** Private, link-local and unique-local targets (WEBHOOK_ALLOW_PRIVATE_TARGETS). */
  allowPrivateTargets?: boolean;
  /** The DNS lookup of target hosts (default: the system's). */
  resolveAll?: ResolveAll;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether `url` may receive webhooks: an absolute https URL without credentials or fragment;
 * http only on a loopback host, and only when `allowLoopbackHttp` (development).
 */
export function webhookUrlProblem(
  url: unknown,
  allowLoopbackHttp: boolean,
): string | null {
  if (typeof url !== 'string' || !url || url.length > 2048)
    return 'must be an absolute URL of at most 2048 characters';
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'must be an absolute URL';
  }
  if (u.username || u.password) return 'must not carry credentials';
  if (u.hash) return 'must not have a fragment';
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && LOOPBACK.has(u.hostname))
    return allowLoopbackHttp
      ? null
      : 'must use https (http on loopback is for development only)';
  return 'must use https (http only on a loopback host, for development)';
}

/**
 * An integrator's webhooks and their delivery logs. Rules enforced:
 * - an integrator sees, deletes and replays only its own endpoints and deliveries (any
 *   other id is `not_found`, as an unknown one);
 * - the signing secret is returned once, at registration;
 * - `events` defaults to every event type; unknown types are `invalid_request`;
 * - deleting stops deliveries to the endpoint (pending ones end `failed`);
 * - a replay queues a new delivery of the same event to the same endpoint, due at once;
 * - the URL's host must be a webhook target (`webhook-targets.ts`): an IP literal, or every
 *   address the name resolves to now; a name that does not resolve (yet) passes, since the
 *   dispatcher checks the address again at every attempt and connects only to the one it
 *   checked.
 * The writes run on `em` when given: the portal passes its transaction, so that the change
 * and its audit event commit together.
 */
export class PlatformWebhooks {
  private readonly allowLoopbackHttp: boolean;

  constructor(
    private readonly ds: DataSource,
    private readonly options: PlatformWebhooksOptions,
  ) {
    this.allowLoopbackHttp = options.allowLoopbackHttp;
  }

  /** Why the host of `url` is no webhook target, or null (also when it does not resolve). */
  private async targetProblem(url: string): Promise<string | null> {
    const policy = {
      allowLoopback: this.allowLoopbackHttp,
      allowPrivate: this.options.allowPrivateTargets ?? false,
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        checkedTarget(
          new URL(url).hostname,
          policy,
          this.options.resolveAll ?? systemResolveAll,
        ),
        new Promise((resolve) => {
          timer = setTimeout(resolve, REGISTRATION_LOOKUP_MS);
        }),
      ]);
      return null;
    } catch (err) {
      return err instanceof WebhookTargetRefused
        ? `must reach a public address: ${err.message.replace(/^refused: /, '')}`
        : null;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Registers an endpoint: `check`, then `insert`. */
  async create(
    integratorId: string,
    body: unknown,
    em: EntityManager | DataSource = this.ds,
  ): Promise<CreatedWebhook> {
    return this.insert(integratorId, await this.check(body), em);
  }

  /**
   * The registration body, checked (URL rules, the target's addresses, events): every
   * problem at once as `invalid_request`. Resolves the URL's host, so callers run it before
   * opening a transaction.
   */
  async check(body: unknown): Promise<WebhookInput> {
    const input =
      body && typeof body === 'object' && !Array.isArray(body)
        ? (body as Record<string, unknown>)
        : null;
    if (!input) throw platformInvalid({ body: 'must be a JSON object' });
    const fields: Record<string, string> = {};
    const urlProblem =
      webhookUrlProblem(input['url'], this.allowLoopbackHttp) ??
      (await this.targetProblem(input['url'] as string));
    if (urlProblem) fields['url'] = urlProblem;
    let events: PlatformEventType[] = [...PLATFORM_EVENT_TYPES];
    if (input['events'] !== undefined) {
      const raw = input['events'];
      if (
        !Array.isArray(raw) ||
        !raw.length ||
        raw.some(
          (e) => !(PLATFORM_EVENT_TYPES as readonly unknown[]).includes(e),
        )
      )
        fields['events'] =
          `must be a non-empty list of: ${PLATFORM_EVENT_TYPES.join(', ')}`;
      else events = [...new Set(raw as PlatformEventType[])];
    }
    if (Object.keys(fields).length) throw platformInvalid(fields);
    return { url: input['url'] as string, events };
  }

  /** Stores a checked registration (at most MAX_WEBHOOKS_PER_INTEGRATOR live ones). */
  async insert(
    integratorId: string,
    input: WebhookInput,
    em: EntityManager | DataSource = this.ds,
  ): Promise<CreatedWebhook> {
    const repo = em.getRepository(WebhookEndpointEntity);
    const live = await repo
      .createQueryBuilder('e')
      .where('e.integratorId = :integratorId AND e.deletedAt IS NULL', {
        integratorId,
      })
      .getCount();
    if (live >= MAX_WEBHOOKS_PER_INTEGRATOR)
      throw platformInvalid({
        url: `at most ${MAX_WEBHOOKS_PER_INTEGRATOR} webhooks per integrator`,
      });
    const row: WebhookEndpointEntity = {
      id: randomUUID(),
      integratorId,
      url: input.url,
      events: input.events ?? [...PLATFORM_EVENT_TYPES],
      secret: newWebhookSecret(),
      createdAt: new Date(),
      deletedAt: null,
    };
    await repo.insert(row);
    return { ...view(row), secret: row.secret };
  }

  async list(integratorId: string): Promise<WebhookView[]> {
    const rows = await this.ds
      .getRepository(WebhookEndpointEntity)
      .createQueryBuilder('e')
      .where('e.integratorId = :integratorId AND e.deletedAt IS NULL', {
        integratorId,
      })
      .orderBy('e.createdAt', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .getMany();
    return rows.map(view);
  }

  async remove(
    integratorId: string,
    id: string,
    em: EntityManager | DataSource = this.ds,
  ): Promise<void> {
    const row = await this.own(integratorId, id, em);
    await em
      .getRepository(WebhookEndpointEntity)
      .update({ id: row.id }, { deletedAt: new Date() });
    await em
      .getRepository(WebhookDeliveryEntity)
      .update(
        { endpointId: row.id, status: 'pending' },
        { status: 'failed', nextAttemptAt: null },
      );
  }

  async deliveries(
    integratorId: string,
    id: string,
    query: Record<string, unknown>,
  ): Promise<PlatformPage<WebhookDeliveryView>> {
    const endpoint = await this.own(integratorId, id);
    const { limit, offset } = pageOf(query);
    const [rows, total] = await this.ds
      .getRepository(WebhookDeliveryEntity)
      .createQueryBuilder('d')
      .where('d.endpointId = :id', { id: endpoint.id })
      .orderBy('d.createdAt', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .skip(offset)
      .take(limit)
      .getManyAndCount();
    return { data: await this.views(rows), total, limit, offset };
  }

  async replay(
    integratorId: string,
    id: string,
    deliveryId: string,
    em: EntityManager | DataSource = this.ds,
  ): Promise<WebhookDeliveryView> {
    const endpoint = await this.own(integratorId, id, em);
    const original = await em
      .getRepository(WebhookDeliveryEntity)
      .findOneBy({ id: deliveryId, endpointId: endpoint.id });
    if (!original) throw platformNotFound('delivery');
    const now = new Date();
    const row: WebhookDeliveryEntity = {
      id: randomUUID(),
      eventId: original.eventId,
      endpointId: endpoint.id,
      integratorId,
      status: 'pending',
      attempts: 0,
      responseCode: null,
      nextAttemptAt: now,
      createdAt: now,
      deliveredAt: null,
    };
    await em.getRepository(WebhookDeliveryEntity).insert(row);
    return (await this.views([row], em))[0];
  }

  private async own(
    integratorId: string,
    id: string,
    em: EntityManager | DataSource = this.ds,
  ): Promise<WebhookEndpointEntity> {
    const row = await em.getRepository(WebhookEndpointEntity).findOneBy({ id });
    if (!row || row.integratorId !== integratorId || row.deletedAt)
      throw platformNotFound('webhook');
    return row;
  }

  private async views(
    rows: WebhookDeliveryEntity[],
    em: EntityManager | DataSource = this.ds,
  ): Promise<WebhookDeliveryView[]> {
    if (!rows.length) return [];
    const eventIds = [...new Set(rows.map((r) => r.eventId))];
    const ids = rows.map((r) => r.id);
    const [events, attempts] = await Promise.all([
      em
        .getRepository(PlatformEventEntity)
        .createQueryBuilder('e')
        .select(['e.id', 'e.type'])
        .where('e.id IN (:...eventIds)', { eventIds })
        .getMany(),
      em
        .getRepository(WebhookAttemptEntity)
        .createQueryBuilder('a')
        .where('a.deliveryId IN (:...ids)', { ids })
        .orderBy('a.attempt', 'ASC')
        .getMany(),
    ]);
    const typeOf = new Map(events.map((e) => [e.id, e.type]));
    return rows.map((r) => ({
      id: r.id,
      eventId: r.eventId,
      eventType: typeOf.get(r.eventId) as PlatformEventType,
      status: r.status as WebhookDeliveryView['status'],
      attempts: r.attempts,
      responseCode: r.responseCode ?? null,
      nextAttemptAt:
        r.status === 'pending' && r.nextAttemptAt
          ? new Date(r.nextAttemptAt).toISOString()
          : null,
      createdAt: new Date(r.createdAt).toISOString(),
      deliveredAt: r.deliveredAt ? new Date(r.deliveredAt).toISOString() : null,
      log: attempts
        .filter((a) => a.deliveryId === r.id)
        .map((a) => ({
          attempt: a.attempt,
          at: new Date(a.at).toISOString(),
          responseCode: a.responseCode ?? null,
          error: a.error ?? null,
          durationMs: a.durationMs,
        })),
    }));
  }
}

const view = (row: WebhookEndpointEntity): WebhookView => ({
  id: row.id,
  url: row.url,
  events: row.events as PlatformEventType[],
  createdAt: new Date(row.createdAt).toISOString(),
});
