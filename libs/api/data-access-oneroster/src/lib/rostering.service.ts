import { Inject, Injectable, StreamableFile } from '@nestjs/common';
import {
  Condition,
  OneRosterObject,
  PAGE_BATCH,
  RosterReader,
  TenantScope,
  columnEquals,
} from './reader';
import { ResourceDef } from './resources';
import { Intent } from './relationships';
import {
  CheckedSingleQuery,
  ServiceUnavailableError,
  FilterExpr,
  filterClauses,
} from '@oneroster/util-oneroster-query';
import {
  ClientLink,
  Principal,
  RequestedQuery,
  jsonArrayEnvelope,
  warningPayload,
} from '@oneroster/util-http';
import { BudgetState, RowBudget } from './row-budget';

export const ROSTERING_OPTIONS = Symbol('ROSTERING_OPTIONS');

export interface CollectionOptions {
  /**
   * Leave out records marked tobedeleted unless the filter names `status` or
   * `dateLastModified` (a delta query): deleted gradebook objects vanish from reads, while
   * delta consumers still see them go.
   */
  hideDeletedUnlessDelta?: boolean;
}

export function isDeltaQuery(filter: FilterExpr | null): boolean {
  return (
    !!filter &&
    filterClauses(filter).some(
      (c) => c.field === 'status' || c.field === 'dateLastModified',
    )
  );
}

export interface RosteringOptions {
  /** Public base URL of the API, e.g. https://api.example.org (no trailing slash). */
  publicUrl: string;
  /** Rows all collection responses in flight may hold together (default 30,000). */
  maxRowsInFlight?: number;
  /** Longest a collection request waits for capacity before 503 (default 10,000 ms). */
  queueTimeoutMs?: number;
  /** Large pages (`isLargePage`) one client may have in flight at once (default 4). */
  largePagesPerClient?: number;
  /**
   * Large pages all clients may have in flight at once (default 9: one less than the
   * database pool of 10 connections, libs/shared/database).
   */
  maxLargePages?: number;
  /** Longest a response's written bytes wait for its client (default 30,000 ms; 0: off). */
  writeIdleTimeoutMs?: number;
}

/**
 * A large page asks for more than one batch (`limit` above PAGE_BATCH): it is the page that
 * is written as it is built, and on MySQL/MariaDB it reads through a pooled connection of its
 * own for as long as its response is being written.
 */
export const isLargePage = (limit: number): boolean => limit > PAGE_BATCH;

/** A parent a relationship route answers 404 for when the caller cannot see it. */
export interface ParentCheck {
  resource: ResourceDef;
  sourcedId: string;
  where?: Intent;
  /** The object's kind in the 404 message (default: the resource's). */
  label?: string;
}

interface ReadOf {
  principal: Principal;
  resource: ResourceDef;
  /** The envelope's key, e.g. `classes` or `class`. */
  envelope: string;
  where?: Intent;
  /** Checked in order before the read. */
  parents?: ParentCheck[];
  /**
   * How each object read is written (default: as read, the 1.1 JSON). Another version of the
   * standard projects the 1.1 object here, after the read and before the envelope.
   */
  project?: (object: OneRosterObject) => OneRosterObject;
  /**
   * Called with each batch of objects read (and with a single object) before `project` sees
   * them: reads what the projection needs to know about the objects of that batch only.
   */
  prepare?: (objects: readonly OneRosterObject[]) => Promise<void>;
}

export interface CollectionRead extends ReadOf, CollectionOptions {
  query: RequestedQuery;
  /** The response the page is written to (capacity is held until it closes). */
  client: ClientLink;
}

export interface SingleRead extends ReadOf {
  sourcedId: string;
  query: CheckedSingleQuery;
}

/** The batches of a page, each prepared, then each object projected, as it is built. */
async function* projectBatches(
  batches: AsyncIterable<OneRosterObject[]> | Iterable<OneRosterObject[]>,
  project: (object: OneRosterObject) => OneRosterObject,
  prepare?: (objects: readonly OneRosterObject[]) => Promise<void>,
): AsyncGenerator<OneRosterObject[]> {
  for await (const batch of batches) {
    if (prepare) await prepare(batch);
    yield batch.map(project);
  }
}

/** Turns OneRoster reads into tenant-scoped reads and OneRoster envelopes, under a shared capacity. */
@Injectable()
export class RosteringService {
  private readonly budget: RowBudget;

  constructor(
    private readonly reader: RosterReader,
    @Inject(ROSTERING_OPTIONS) private readonly options: RosteringOptions,
  ) {
    this.budget = new RowBudget(
      options.maxRowsInFlight ?? 30_000,
      options.largePagesPerClient ?? 4,
      options.maxLargePages ?? 9,
    );
  }

  /** What collection responses hold now (rows, waiters, large pages per client). */
  capacity(): BudgetState {
    return this.budget.state();
  }

  /**
   * Waits for the request's share of the capacity, for at most the queue timeout: a client
   * that leaves meanwhile takes nothing; one that leaves later gives it back (exactly once).
   */
  private async admit(
    client: ClientLink,
    principal: Principal,
    limit: number,
  ): Promise<void> {
    const timeoutMs = this.options.queueTimeoutMs ?? 10_000;
    const stop = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      stop.abort();
    }, timeoutMs);
    client.onClose(() => stop.abort());
    let release: () => void;
    try {
      release = await this.budget.acquire(limit, {
        client: principal.clientId ?? principal.userId ?? '',
        large: isLargePage(limit),
        signal: stop.signal,
      });
    } catch (err) {
      // The client has gone: there is no one to answer.
      if (!timedOut) throw err;
      throw new ServiceUnavailableError(
        'The server is busy; retry shortly',
        Math.max(1, Math.ceil(timeoutMs / 1000)),
      );
    } finally {
      clearTimeout(timer);
    }
    // Held until the response is sent or the connection drops.
    client.onClose(release);
  }

  scope(principal: Principal): TenantScope {
    return { schoolIds: principal.schoolIds, booleans: principal.booleans };
  }

  async collection(
    read: CollectionRead,
  ): Promise<Record<string, unknown> | StreamableFile> {
    const { principal, resource, envelope, client } = read;
    await this.requireParents(principal, read.parents);
    const query = read.query.checked();
    let conditions = read.where ?? [];
    if (read.hideDeletedUnlessDelta && !isDeltaQuery(query.filter)) {
      conditions = [...conditions, columnEquals('status', 'active')];
    }
    await this.admit(client, principal, query.limit);
    client.limitWriteIdle(this.options.writeIdleTimeoutMs ?? 30_000);
    const page = await this.reader.listLazy(
      this.scope(principal),
      resource,
      query,
      conditions,
    );
    // A client that left before the page is written frees what the page holds.
    client.onResponseClose(() => void page.discard?.());
    client.setPagingHeaders(page.total, query, this.options.publicUrl);
    const extra: Record<string, unknown> = {};
    if (query.warnings.length)
      extra['statusInfoSet'] = query.warnings.map(warningPayload);
    const project = read.project;
    const batches = project
      ? projectBatches(page.batches(), project, read.prepare)
      : page.batches();
    if (page.size !== undefined && page.size <= PAGE_BATCH) {
      const records: OneRosterObject[] = [];
      for await (const batch of batches) records.push(...batch);
      return { [envelope]: records, ...extra };
    }
    // A large page is written as it is built, a batch at a time (same JSON, chunked).
    return new StreamableFile(jsonArrayEnvelope(envelope, batches, extra), {
      type: 'application/json; charset=utf-8',
    });
  }

  async single(read: SingleRead): Promise<Record<string, unknown>> {
    const { principal, query } = read;
    await this.requireParents(principal, read.parents);
    const object = await this.reader.get(
      this.scope(principal),
      read.resource,
      read.sourcedId,
      read.where ?? [],
      query.fields,
    );
    await read.prepare?.([object]);
    return {
      [read.envelope]: read.project ? read.project(object) : object,
      ...(query.warnings.length
        ? { statusInfoSet: query.warnings.map(warningPayload) }
        : {}),
    };
  }

  private async requireParents(
    principal: Principal,
    parents: ParentCheck[] = [],
  ): Promise<void> {
    for (const p of parents)
      await this.requireParent(
        principal,
        p.resource,
        p.sourcedId,
        p.where,
        p.label,
      );
  }

  /** 404 unless the parent of a relationship route exists for the caller. */
  requireParent(
    principal: Principal,
    resource: ResourceDef,
    sourcedId: string,
    conditions: Condition[] = [],
    label?: string,
  ) {
    return this.reader.requireExists(
      this.scope(principal),
      resource,
      sourcedId,
      conditions,
      label,
    );
  }
}
