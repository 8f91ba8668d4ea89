import type {
  DataSource,
  EntityMetadata,
  EntitySubscriberInterface,
  QueryRunner,
} from 'typeorm';
import { LRUCache } from 'lru-cache';
import { decodeInstant, decodeStrings } from '@oneroster/database';
import {
  subscribeClientCache,
  type InvalidationBus,
} from '@oneroster/util-invalidation';

/**
 * An OAuth client as the provider needs it (secret hashes included): a client-credentials
 * client of one school, or (`schoolId` null) the application's OpenID Connect client.
 */
export interface StoredClient {
  clientId: string;
  applicationId: string;
  applicationName: string;
  integratorId: string;
  /** Null for the application's OpenID Connect (user sign-in) client. */
  schoolId: string | null;
  /** The application's registered redirect URIs (used by its OpenID Connect client). */
  redirectUris: string[];
  /** How the OneRoster API writes booleans to the application (`json` or `string`). */
  booleanFormat: string;
  secretHash: string;
  previousSecretHash: string | null;
  previousSecretExpiresAt: Date | null;
  /** The school's approval of the client's application: status (null: none) and scopes. */
  approvalStatus: string | null;
  approvedScopes: string[];
  /**
   * Platform API scopes the school granted this client (`imports.write`: its MIS), empty
   * unless the client is a school's and its application is approved there.
   */
  platformScopes: string[];
}

const CLIENT_SQL = `
SELECT c.client_id AS clientId, c.application_id AS applicationId,
       a.name AS applicationName,
       a.integrator_id AS integratorId, c.school_id AS schoolId,
       c.secret_hash AS secretHash, c.previous_secret_hash AS previousSecretHash,
       c.previous_secret_expires_at AS previousSecretExpiresAt,
       ap.status AS approvalStatus, ap.scopes AS approvedScopes,
       a.redirect_uris AS redirectUris, a.boolean_format AS booleanFormat,
       c.platform_scopes AS platformScopes
FROM oauth_clients c
JOIN applications a ON a.id = c.application_id
LEFT JOIN approvals ap ON ap.application_id = c.application_id AND ap.school_id = c.school_id
WHERE c.client_id = ? AND c.revoked_at IS NULL`;

/**
 * Reads `oauth_clients` (with the application's integrator and the school's approval, in one
 * query) for client authentication and token issuance. A revoked client is not found, so it
 * fails as an unknown client would; approved scopes are empty unless the status is `approved`
 * (and always for an OpenID Connect client, which has no school).
 */
export async function findStoredClient(
  dataSource: DataSource,
  clientId: string,
): Promise<StoredClient | null> {
  // Plain SQL (valid on SQLite and MySQL/MariaDB): this runs for every token request, and
  // building it through the query builder cost more than executing it.
  const rows = (await dataSource.query(CLIENT_SQL, [clientId])) as (Omit<
    StoredClient,
    | 'previousSecretExpiresAt'
    | 'approvedScopes'
    | 'redirectUris'
    | 'platformScopes'
  > & {
    previousSecretExpiresAt: Date | string | null;
    approvedScopes: string | null;
    redirectUris: string | null;
    platformScopes: string | null;
  })[];
  const row = rows[0];
  if (!row) return null;
  const expires = row.previousSecretExpiresAt;
  const approved = row.approvalStatus === 'approved';
  return {
    ...row,
    approvalStatus: row.approvalStatus ?? null,
    schoolId: row.schoolId ?? null,
    approvedScopes: approved ? decodeStrings(row.approvedScopes) : [],
    platformScopes:
      approved && row.schoolId ? decodeStrings(row.platformScopes) : [],
    redirectUris: decodeStrings(row.redirectUris),
    booleanFormat: row.booleanFormat === 'string' ? 'string' : 'json',
    previousSecretHash: row.previousSecretHash ?? null,
    previousSecretExpiresAt:
      expires === null || expires === undefined ? null : decodeInstant(expires),
  };
}

/** Tables whose rows make up a StoredClient. */
const CLIENT_TABLES = new Set(['oauth_clients', 'applications', 'approvals']);

/**
 * `findStoredClient` with a short memory: the token endpoint reads the same few clients many
 * times a second, and a row read at most `ttlMs` ago is as good as a fresh one. Rules:
 * - an entry lives `ttlMs` (0: no memory, every call reads the database); so a change made
 *   elsewhere (another process, a script) takes effect within `ttlMs`;
 * - a change written through this process's DataSource to `oauth_clients`, `applications`
 *   or `approvals` (the portal's revocations, rotations and decisions) empties the memory
 *   when it is written and again when its transaction commits, so it takes effect at once;
 * - with an invalidation bus, a change committed by any instance applies at once: a
 *   `client` message forgets that client, an `application` message every client of that
 *   application and every client still being read (its row may predate the change), `null`
 *   (the bus may have missed messages) everything;
 * - concurrent calls for one client share one query; a failed query is not remembered;
 * - at most `maxEntries` clients are held (the least recently used go first).
 */
export class StoredClientCache {
  // lru-cache reads a ttl of 0 as "never expires": with no lifetime there is no cache.
  private readonly entries: LRUCache<string, StoredClientEntry> | null;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly dataSource: DataSource,
    ttlMs: number,
    maxEntries = 10_000,
    bus: InvalidationBus | null = null,
  ) {
    this.entries =
      ttlMs > 0
        ? new LRUCache<string, StoredClientEntry>({
            max: maxEntries,
            ttl: ttlMs,
          })
        : null;
    if (!this.entries) return;
    dataSource.subscribers.push(this.subscriber());
    if (bus) this.unsubscribe.push(subscribeClientCache(bus, this.entries));
  }

  /** Stops listening to the bus. */
  close(): void {
    for (const stop of this.unsubscribe.splice(0)) stop();
  }

  find(clientId: string): Promise<StoredClient | null> {
    const entries = this.entries;
    if (!entries) return findStoredClient(this.dataSource, clientId);
    const hit = entries.get(clientId);
    if (hit) return hit.client;
    const entry: StoredClientEntry = {
      client: findStoredClient(this.dataSource, clientId),
    };
    entries.set(clientId, entry);
    entry.client.then(
      (client) => {
        entry.applicationId = client?.applicationId ?? null;
      },
      () => {
        if (entries.peek(clientId) === entry) entries.delete(clientId);
      },
    );
    return entry.client;
  }

  /** Forgets every client: the next request reads the database. */
  clear(): void {
    this.entries?.clear();
  }

  private subscriber(): EntitySubscriberInterface {
    const changed = (event: {
      metadata?: EntityMetadata;
      queryRunner?: QueryRunner;
    }) => {
      if (!event.metadata || !CLIENT_TABLES.has(event.metadata.tableName))
        return;
      this.clear();
      const runner = event.queryRunner;
      if (runner?.isTransactionActive)
        ((runner.data ??= {}) as Record<symbol, unknown>)[PENDING] = true;
    };
    return {
      afterInsert: changed,
      afterUpdate: changed,
      afterRemove: changed,
      afterSoftRemove: changed,
      afterTransactionCommit: (event) => {
        const data = event.queryRunner.data as Record<symbol, unknown>;
        if (!data?.[PENDING]) return;
        delete data[PENDING];
        this.clear();
      },
    };
  }
}

const PENDING = Symbol('storedClientChanged');

interface StoredClientEntry {
  client: Promise<StoredClient | null>;
  /** The client's application once read (null: no such client; undefined: reading). */
  applicationId?: string | null;
}
