import { Inject, Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import type { ApprovalStatus } from '@oneroster/contracts';
import { decodeStrings } from '@oneroster/database';
import {
  ApplicationEntity,
  ApprovalEntity,
  OAuthClientEntity,
} from '@oneroster/entities';
import {
  forgetApplication,
  INVALIDATION_BUS,
  subscribeClientCache,
  type InvalidationBus,
} from '@oneroster/util-invalidation';

/**
 * The live answer to "which schools have approved this caller's application, and for which
 * scopes?", for the API (every request) and the auth server (every token). Rules enforced:
 * - only approvals with status `approved` count; pending, declined and revoked ones do not;
 * - scopes are per school: each school maps to the scopes its own approval lists, never to
 *   the union over schools (a school that re-approves with fewer scopes loses the others at
 *   once, whatever scopes the token carries);
 * - a client-credentials client (an `oauth_clients` row with a school) reaches at most its own
 *   school, and none once the client itself is revoked;
 * - any other client id is read as an application id (the application's OIDC client, whose
 *   `oauth_clients` row, if any, has no school) and reaches every school that approved the
 *   application, none once that OIDC client row is revoked;
 * - an unknown client reaches no school;
 * - answers are cached for `ttlMs` (default 2 s, at most 60 s; 0: not cached) so a revocation
 *   stops access within that time even for tokens already issued; `invalidate` drops the
 *   cache at once; at most 10,000 clients are held (the least recently used go first);
 * - with an invalidation bus, a `client` message drops that client's answer and an
 *   `application` message (an application id) drops every answer about that application, and
 *   every answer still being read (it may predate the change); `null` drops everything. So
 *   a change committed by any instance applies at once, and the lifetime only bounds how long
 *   a lost message (Redis unreachable) can leave an old answer in place.
 */
export const APPROVAL_CACHE_TTL_MS = Symbol('APPROVAL_CACHE_TTL_MS');

export const DEFAULT_APPROVAL_CACHE_TTL_MS = 2_000;
// Deployments run the default; a longer lifetime is for tests that prove the bus alone.
const MAX_TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

/** A client-credentials client with the approval of its school. */
export interface ClientApproval {
  clientId: string;
  applicationId: string;
  integratorId: string;
  schoolId: string;
  /** Null when the school has no approval record for the application. */
  status: ApprovalStatus | null;
  /** Approved scopes; empty unless `status` is `approved`. */
  scopes: string[];
}

/** School id → the scopes that school's approval grants now (approved schools only). */
export type SchoolScopes = ReadonlyMap<string, ReadonlySet<string>>;

interface CacheEntry {
  schools: Promise<SchoolScopes>;
  /** The client's application, once read (unknown while the read runs). */
  applicationId?: string;
}

@Injectable()
export class ApprovalLookup implements OnModuleDestroy {
  private readonly ttlMs: number;
  private readonly cache: LRUCache<string, CacheEntry> | null;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(APPROVAL_CACHE_TTL_MS) ttlMs?: number,
    @Optional() @Inject(INVALIDATION_BUS) bus?: InvalidationBus,
  ) {
    this.ttlMs = Math.min(
      Math.max(ttlMs ?? DEFAULT_APPROVAL_CACHE_TTL_MS, 0),
      MAX_TTL_MS,
    );
    // lru-cache reads a ttl of 0 as "never expires": no lifetime means no cache here.
    this.cache =
      this.ttlMs > 0
        ? new LRUCache<string, CacheEntry>({
            max: MAX_ENTRIES,
            ttl: this.ttlMs,
          })
        : null;
    if (bus && this.cache)
      this.unsubscribe.push(subscribeClientCache(bus, this.cache));
  }

  onModuleDestroy(): void {
    for (const stop of this.unsubscribe.splice(0)) stop();
  }

  /** The client-credentials client and its school's approval, read now (never cached). */
  async clientApproval(clientId: string): Promise<ClientApproval | null> {
    const row = await this.dataSource
      .getRepository(OAuthClientEntity)
      .createQueryBuilder('c')
      .innerJoin(ApplicationEntity, 'a', 'a.id = c.application_id')
      .leftJoin(
        ApprovalEntity,
        'ap',
        'ap.application_id = c.application_id AND ap.school_id = c.school_id',
      )
      .select('c.client_id', 'clientId')
      .addSelect('c.application_id', 'applicationId')
      .addSelect('c.school_id', 'schoolId')
      .addSelect('a.integrator_id', 'integratorId')
      .addSelect('ap.status', 'status')
      .addSelect('ap.scopes', 'scopes')
      .where('c.client_id = :clientId', { clientId })
      .andWhere('c.school_id IS NOT NULL')
      .andWhere('c.revoked_at IS NULL')
      .getRawOne<{
        clientId: string;
        applicationId: string;
        schoolId: string;
        integratorId: string;
        status: ApprovalStatus | null;
        scopes: unknown;
      }>();
    if (!row) return null;
    const approved = row.status === 'approved';
    return {
      clientId: row.clientId,
      applicationId: row.applicationId,
      integratorId: row.integratorId,
      schoolId: row.schoolId,
      status: row.status ?? null,
      scopes: approved ? decodeStrings(row.scopes) : [],
    };
  }

  /**
   * Each school that approves this client's application now, with the scopes that school
   * approved (cached briefly).
   */
  approvedScopesOf(clientId: string): Promise<SchoolScopes> {
    return this.schoolsOf(clientId);
  }

  /** The schools that approve this client's application now (cached briefly). */
  async approvedSchoolsOf(clientId: string): Promise<ReadonlySet<string>> {
    return new Set((await this.schoolsOf(clientId)).keys());
  }

  /** `schoolIds` ∩ the schools that approve this client's application now (cached briefly). */
  async approvedSchoolIds(
    clientId: string | null,
    schoolIds: readonly string[],
  ): Promise<string[]> {
    if (!clientId || schoolIds.length === 0) return [];
    const approved = await this.schoolsOf(clientId);
    return schoolIds.filter((id) => approved.has(id));
  }

  /** Forget cached answers (for one client, or all): the next request reads the database. */
  invalidate(clientId?: string): void {
    if (clientId === undefined) this.cache?.clear();
    else this.cache?.delete(clientId);
  }

  /**
   * Forget the answers about one application (its school clients and its OIDC client) and
   * every answer still being read.
   */
  invalidateApplication(applicationId: string): void {
    if (this.cache) forgetApplication(this.cache, applicationId);
  }

  private schoolsOf(clientId: string): Promise<SchoolScopes> {
    const cache = this.cache;
    if (!cache) return this.readSchools(clientId).then((r) => r.schools);
    const hit = cache.get(clientId);
    if (hit) return hit.schools;
    const read = this.readSchools(clientId);
    const entry: CacheEntry = { schools: read.then((r) => r.schools) };
    cache.set(clientId, entry);
    read.then(
      (r) => {
        entry.applicationId = r.applicationId;
      },
      // A failed read (database down) is not cached: the next request tries again.
      () => {
        if (cache.peek(clientId) === entry) cache.delete(clientId);
      },
    );
    return entry.schools;
  }

  private async readSchools(
    clientId: string,
  ): Promise<{ applicationId: string; schools: SchoolScopes }> {
    const client = await this.clientApproval(clientId);
    if (client)
      return {
        applicationId: client.applicationId,
        schools: new Map(
          client.status === 'approved'
            ? [[client.schoolId, new Set(client.scopes)]]
            : [],
        ),
      };
    const rows = await this.dataSource
      .getRepository(ApprovalEntity)
      .createQueryBuilder('ap')
      .select('ap.school_id', 'schoolId')
      .addSelect('ap.scopes', 'scopes')
      .where('ap.application_id = :clientId', { clientId })
      .andWhere('ap.status = :status', { status: 'approved' })
      .andWhere(
        (qb) =>
          `NOT EXISTS ${qb
            .subQuery()
            .select('1')
            .from(OAuthClientEntity, 'oc')
            .where('oc.client_id = ap.application_id')
            .andWhere('oc.school_id IS NULL')
            .andWhere('oc.revoked_at IS NOT NULL')
            .getQuery()}`,
      )
      .getRawMany<{ schoolId: string; scopes: unknown }>();
    // Any other client id is read as an application id.
    return {
      applicationId: clientId,
      schools: new Map(
        rows.map((r) => [r.schoolId, new Set(decodeStrings(r.scopes))]),
      ),
    };
  }
}
