import type { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import {
  CheckedQuery,
  UnknownObjectError,
} from '@oneroster/util-oneroster-query';
import {
  OWNED_ROWS,
  type FieldDef,
  type OwnedObject,
  type OwnedSource,
  type ResourceDef,
} from './resources';
import { CursorCache, PageCursor } from './cursor-cache';
import { readQuery, readQueryRunner, sqlDialect } from '@oneroster/database';
import { OneRosterSerialiser } from './serialiser';
import { RowStream } from './row-stream';
import { T, Quote, Sql, filterSql, joinAnd, orderSql } from './sql';

/**
 * The tenant-scoped read side of OneRoster. Every method takes the caller's school set and
 * every query it runs is limited to those schools: a row of another school behaves exactly
 * like a row that does not exist. An empty school set sees nothing.
 */
export interface TenantScope {
  readonly schoolIds: readonly string[];
  /**
   * How the objects read for this caller write booleans: JSON `true`/`false` (the default,
   * as the 1.1 OpenAPI types them) or the strings `"true"`/`"false"` (an application's wire
   * option, for clients that follow the OneRoster 1.2 convention).
   */
  readonly booleans?: 'json' | 'string';
}

export type OneRosterObject = Record<string, unknown>;

export interface Page {
  records: OneRosterObject[];
  total: number;
}

/**
 * A page whose rows are read but not yet turned into OneRoster objects: `batches` builds
 * them a batch at a time, so a large page never exists as objects (or as JSON text) all at
 * once. Everything that can fail (the queries) has run before it is returned.
 */
export interface LazyPage {
  total: number;
  /** Records on the page, when known before they are built (not for a streamed page). */
  size?: number;
  /** The records in order, PAGE_BATCH at a time; iterate once. */
  batches(): Iterable<OneRosterObject[]> | AsyncIterable<OneRosterObject[]>;
  /**
   * Frees what the page holds (a database connection) when its batches will never be
   * taken; call it when the response closes. Taking the batches to the end, or stopping
   * the iteration early, frees it too.
   */
  discard?(): Promise<void>;
}

/** Extra conditions on the table alias `t` (subtypes and relationship routes). */
export type Condition = (q: Quote) => Sql;

/** `t.column = value`. */
export const columnEquals =
  (column: string, value: string | number): Condition =>
  (q) => ({ text: `${T}.${q(column)} = ?`, params: [value] });

/** `t.column IN (values…)` (at least one value). */
export const columnIn =
  (column: string, values: readonly (string | number)[]): Condition =>
  (q) => ({
    text: `${T}.${q(column)} IN (${values.map(() => '?').join(', ')})`,
    params: [...values],
  });

/**
 * `t` is linked through another table of the same school, e.g. users with an active
 * student enrolment in class C:
 * `linkedThrough('enrollments', 'user_sourced_id', { class_sourced_id: C, role: 'student' })`.
 * `outerColumn` is the column of `t` the link points at (default its sourcedId).
 */
export const linkedThrough =
  (
    table: string,
    innerColumn: string,
    where: Record<string, string | number>,
    options: { outerColumn?: string; activeOnly?: boolean } = {},
  ): Condition =>
  (q) => {
    const conds = Object.keys(where).map((c) => `x.${q(c)} = ?`);
    if (options.activeOnly ?? true) conds.push(`x.${q('status')} = 'active'`);
    return {
      text: `EXISTS (SELECT 1 FROM ${q(table)} x WHERE x.${q('school_id')} = ${T}.${q('school_id')} AND x.${q(innerColumn)} = ${T}.${q(options.outerColumn ?? 'sourced_id')}${conds.map((c) => ` AND ${c}`).join('')})`,
      params: Object.values(where),
    };
  };

/** The part of a mysql2 connection that the reader uses. */
interface MysqlQueryOptions {
  sql: string;
  values: unknown[];
  dateStrings: boolean;
}
interface MysqlConnection {
  query(
    options: MysqlQueryOptions,
    callback: (err: Error | null, rows: Record<string, unknown>[]) => void,
  ): void;
  query(options: MysqlQueryOptions): {
    stream(options: { highWaterMark: number }): Readable;
  };
}

/** Records built (and written) at a time when a page is sent as it is built. */
export const PAGE_BATCH = 500;

const CHUNK = 900;

/** The column of a page's row telling whether owned table k holds active rows in its school. */
const ownedProbe = (k: number) => `owned_${k}`;

/** A page's GUIDRef lists (field → school and owner → ids) and its owned rows, if read. */
interface PageLinks {
  lists: Map<string, Map<string, string[]>>;
  owned: Map<string, Record<string, Record<string, unknown>[]>> | null;
}
const EMPTY_ROW: Record<string, unknown> = Object.freeze({});

export class RosterReader {
  private readonly q: Quote;
  /** MySQL or MariaDB (mysql2): pages read through their own connection options. */
  private readonly mysql: boolean;
  private readonly cursors = new CursorCache();
  private readonly countHints = new Map<string, string>();
  private readonly serialiser: OneRosterSerialiser;

  constructor(
    private readonly ds: DataSource,
    /** Absolute base URL of the OneRoster API, for GUIDRef hrefs. */
    baseUrl: string,
  ) {
    this.q = (id: string) => ds.driver.escape(id);
    this.mysql = sqlDialect(ds) === 'mysql';
    this.serialiser = new OneRosterSerialiser(baseUrl);
  }

  private where(
    scope: TenantScope,
    resource: ResourceDef,
    query: CheckedQuery | null,
    conditions: Condition[],
  ): Sql {
    const q = this.q;
    const parts: Sql[] = [
      {
        text: `${T}.${q('school_id')} IN (${scope.schoolIds.map(() => '?').join(', ')})`,
        params: [...scope.schoolIds],
      },
      ...conditions.map((c) => c(q)),
    ];
    if (query?.filter)
      parts.push(
        filterSql(resource, query.filter, q, {
          schoolIds: scope.schoolIds,
          foldsConstantSubqueries: this.mysql,
        }),
      );
    return joinAnd(parts);
  }

  /**
   * On MySQL/MariaDB, `FORCE INDEX` of the table's (school, dateLastModified) index, for
   * counts without a filter or extra condition: MariaDB counts a school set's rows through
   * the clustered index, which holds whole rows, while that index (every table has it)
   * answers in about half the time. '' elsewhere.
   */
  private countHint(resource: ResourceDef): string {
    let hint = this.countHints.get(resource.table);
    if (hint === undefined) {
      const index = this.mysql
        ? this.ds.entityMetadatas
            .find((m) => m.tableName === resource.table)
            ?.indices.find(
              (i) =>
                i.columns.map((c) => c.databaseName).join(',') ===
                'school_id,date_last_modified',
            )?.name
        : undefined;
      hint = index ? ` FORCE INDEX (${this.q(index)})` : '';
      this.countHints.set(resource.table, hint);
    }
    return hint;
  }

  /**
   * A query on a pooled MySQL/MariaDB connection of its own, with date-times read as text
   * (`YYYY-MM-DD HH:MM:SS.mmm`, UTC as stored), which the JSON needs anyway: decoding them
   * into Date objects and formatting those again is a large share of a big page's CPU.
   * `release` gives the connection back (once). The connection is a replica's or the
   * primary's, as `readQueryRunner` chooses for the schools read.
   */
  private async mysqlQuery(
    sql: string,
    params: unknown[],
    schoolIds: readonly string[],
  ) {
    const runner = await readQueryRunner(this.ds, schoolIds);
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await runner.release();
    };
    try {
      const connection = (await runner.connect()) as MysqlConnection;
      return {
        connection,
        options: { sql, values: params, dateStrings: true },
        release,
      };
    } catch (err) {
      await release();
      throw err;
    }
  }

  /** The rows of a page, all at once. */
  private async pageRows(
    sql: string,
    params: unknown[],
    schoolIds: readonly string[],
  ): Promise<Record<string, unknown>[]> {
    if (!this.mysql)
      return (await this.ds.query(sql, params)) as Record<string, unknown>[];
    const { connection, options, release } = await this.mysqlQuery(
      sql,
      params,
      schoolIds,
    );
    try {
      return await new Promise((resolve, reject) =>
        connection.query(options, (err, rows) =>
          err ? reject(err) : resolve(rows),
        ),
      );
    } finally {
      await release();
    }
  }

  /** The rows of a page as they arrive, a batch at a time (MySQL/MariaDB). */
  private async openRows(
    sql: string,
    params: unknown[],
    schoolIds: readonly string[],
  ): Promise<RowStream> {
    const { connection, options, release } = await this.mysqlQuery(
      sql,
      params,
      schoolIds,
    );
    try {
      const source = connection
        .query(options)
        .stream({ highWaterMark: PAGE_BATCH });
      return new RowStream(source, PAGE_BATCH, release);
    } catch (err) {
      await release();
      throw err;
    }
  }

  private columns(resource: ResourceDef, fields: readonly FieldDef[]): string {
    const q = this.q;
    const cols = new Set(['school_id', 'sourced_id']);
    for (const f of fields) if (f.column) cols.add(f.column);
    // Whether each owned table holds any active row in the row's school: evaluated once
    // per school of the page (MariaDB caches a correlated subquery's result per value; on
    // SQLite each is an index probe), so that a page does not look up empty tables.
    const probes = (resource.owned ?? []).map(
      (o, k) =>
        `CASE WHEN EXISTS (SELECT 1 FROM ${q(o.table)} p WHERE p.${q('school_id')} = ${T}.${q('school_id')} AND p.${q('status')} = 'active') THEN 1 ELSE 0 END AS ${q(ownedProbe(k))}`,
    );
    return [...[...cols].map((c) => `${T}.${q(c)}`), ...probes].join(', ');
  }

  async list(
    scope: TenantScope,
    resource: ResourceDef,
    query: CheckedQuery,
    conditions: Condition[] = [],
  ): Promise<Page> {
    const page = await this.listLazy(scope, resource, query, conditions);
    const records: OneRosterObject[] = [];
    for await (const batch of page.batches()) records.push(...batch);
    return { records, total: page.total };
  }

  /** `list`, with the objects built on demand (for writing a large page as it is built). */
  async listLazy(
    scope: TenantScope,
    resource: ResourceDef,
    query: CheckedQuery,
    conditions: Condition[] = [],
  ): Promise<LazyPage> {
    // A page larger than a batch is read as the database sends it where it can be.
    if (this.mysql && query.limit > PAGE_BATCH && scope.schoolIds.length > 0)
      return this.streamedPage(scope, resource, query, conditions);
    const { fields, rows, total } = await this.fetchPage(
      scope,
      resource,
      query,
      conditions,
    );
    const lists = await this.loadLists(fields, rows, resource.owned);
    const build = (row: Record<string, unknown>) =>
      this.toObject(fields, lists, row, scope);
    return {
      total,
      size: rows.length,
      *batches() {
        for (let i = 0; i < rows.length; i += PAGE_BATCH) {
          const end = Math.min(rows.length, i + PAGE_BATCH);
          const batch: OneRosterObject[] = new Array(end - i);
          for (let j = i; j < end; j++) {
            batch[j - i] = build(rows[j]);
            // Rows already written need not stay reachable while the rest is built.
            rows[j] = EMPTY_ROW;
          }
          yield batch;
        }
      },
    };
  }

  /** The SQL of a page: count, first query (LIMIT/OFFSET) and keyset seek. */
  private plan(
    scope: TenantScope,
    resource: ResourceDef,
    query: CheckedQuery,
    conditions: Condition[],
  ) {
    const q = this.q;
    const fields = this.selected(resource, query.fields);
    const where = this.where(scope, resource, query, conditions);
    const from = `FROM ${q(resource.table)} ${T} WHERE ${where.text}`;
    const select = `SELECT ${this.columns(resource, fields)}`;
    const order = `ORDER BY ${orderSql(resource, query, q)}`;
    // Keyset paging applies to the default order (sourcedId, school), the one clients page by.
    const pageKey =
      !query.sort || query.sort === 'sourcedId'
        ? `${resource.table}\u0001${where.text}\u0001${JSON.stringify(where.params)}\u0001${query.orderBy}`
        : null;
    const cursor =
      pageKey && query.offset > 0
        ? this.cursors.get(`${pageKey}\u0001${query.offset}`)
        : undefined;
    // The count hint only where nothing but the school set limits the rows.
    const countHint =
      !query.filter && conditions.length === 0 ? this.countHint(resource) : '';
    const cmp = query.orderBy === 'desc' ? '<' : '>';
    // (sourcedId, school) after the cursor, written so that the leading bound is a plain
    // range on sourcedId: with only the OR form, MariaDB turns to merging indexes and
    // sorting once few rows are left.
    const id = `${T}.${q('sourced_id')}`;
    const seek = `${id} ${cmp}= ? AND (${id} ${cmp} ? OR ${T}.${q('school_id')} ${cmp} ?)`;
    return {
      fields,
      pageKey,
      cursor,
      count: async () =>
        Number(
          (
            (await readQuery(
              this.ds,
              scope.schoolIds,
              `SELECT COUNT(*) AS n FROM ${q(resource.table)} ${T}${countHint} WHERE ${where.text}`,
              where.params,
            )) as { n: number | string }[]
          )[0]?.n ?? 0,
        ),
      first: {
        sql: `${select} ${from} ${order} LIMIT ? OFFSET ?`,
        params: [...where.params, query.limit, query.offset],
      },
      seek: (c: PageCursor) => ({
        sql: `${select} ${from} AND ${seek} ${order} LIMIT ?`,
        params: [
          ...where.params,
          c.sourcedId,
          c.sourcedId,
          c.schoolId,
          query.limit,
        ],
      }),
    };
  }

  /** Remembers where a full page of the default order ended, for the next offset's seek. */
  private remember(
    pageKey: string | null,
    query: CheckedQuery,
    last: Record<string, unknown> | undefined,
    rows: number,
    total: number,
  ): void {
    if (!pageKey || !last || rows !== query.limit) return;
    const next: PageCursor = {
      sourcedId: String(last['sourced_id']),
      schoolId: String(last['school_id']),
      total,
    };
    this.cursors.set(`${pageKey}\u0001${query.offset + query.limit}`, next);
  }

  private async fetchPage(
    scope: TenantScope,
    resource: ResourceDef,
    query: CheckedQuery,
    conditions: Condition[],
  ): Promise<{
    fields: FieldDef[];
    rows: Record<string, unknown>[];
    total: number;
  }> {
    if (scope.schoolIds.length === 0) return { fields: [], rows: [], total: 0 };
    const plan = this.plan(scope, resource, query, conditions);
    const { pageKey, cursor } = plan;
    let rows: Record<string, unknown>[];
    let total: number;
    if (cursor) {
      const seek = plan.seek(cursor);
      rows = await this.pageRows(seek.sql, seek.params, scope.schoolIds);
      total = cursor.total;
    } else {
      [total, rows] = await Promise.all([
        plan.count(),
        this.pageRows(plan.first.sql, plan.first.params, scope.schoolIds),
      ]);
    }
    this.remember(pageKey, query, rows[rows.length - 1], rows.length, total);
    return { fields: plan.fields, rows, total };
  }

  /**
   * A page read as the database sends it (MySQL/MariaDB): rows are turned into objects a
   * batch at a time and never held as a page. The count (first page) and the first batch
   * are read before this returns, so a failing query fails the request as usual; a failure
   * later can only cut the response short.
   */
  private async streamedPage(
    scope: TenantScope,
    resource: ResourceDef,
    query: CheckedQuery,
    conditions: Condition[],
  ): Promise<LazyPage> {
    const plan = this.plan(scope, resource, query, conditions);
    const { fields, pageKey, cursor } = plan;
    const { sql, params } = cursor ? plan.seek(cursor) : plan.first;
    const [counted, opened] = await Promise.allSettled([
      cursor ? cursor.total : plan.count(),
      this.openRows(sql, params, scope.schoolIds),
    ]);
    if (opened.status === 'rejected') throw opened.reason;
    const rows = opened.value;
    let total: number;
    let first: Record<string, unknown>[] | null;
    let firstLists: PageLinks | null;
    try {
      if (counted.status === 'rejected') throw counted.reason;
      total = counted.value;
      first = await rows.next();
      firstLists =
        first && (await this.loadLists(fields, first, resource.owned));
    } catch (err) {
      await rows.close();
      throw err;
    }
    let started = false;
    let read = 0;
    let last: Record<string, unknown> | undefined;
    const build = async (batch: Record<string, unknown>[]) => {
      read += batch.length;
      last = batch[batch.length - 1];
      const lists =
        firstLists ?? (await this.loadLists(fields, batch, resource.owned));
      firstLists = null;
      return batch.map((row) => this.toObject(fields, lists, row, scope));
    };
    const remember = () => this.remember(pageKey, query, last, read, total);
    return {
      total,
      // The response closed before it took a batch (the client left at once).
      discard: async () => {
        if (!started) await rows.close();
      },
      async *batches() {
        started = true;
        try {
          let batch = first;
          first = null;
          while (batch) {
            yield await build(batch);
            batch = await rows.next();
          }
          // Before the response ends, so the client's next request finds it.
          remember();
        } finally {
          await rows.close();
        }
      },
    };
  }

  /** One object by sourcedId, or UnknownObjectError (also for another school's or the wrong subtype). */
  async get(
    scope: TenantScope,
    resource: ResourceDef,
    sourcedId: string,
    conditions: Condition[] = [],
    fields: string[] | null = null,
  ): Promise<OneRosterObject> {
    const selected = this.selected(resource, fields);
    const rows = await this.rows(
      scope,
      resource,
      sourcedId,
      conditions,
      this.columns(resource, selected),
    );
    if (rows.length === 0)
      throw new UnknownObjectError(
        `Unknown object: ${resource.name} ${sourcedId}`,
      );
    const lists = await this.loadLists(
      selected,
      rows.slice(0, 1),
      resource.owned,
    );
    return this.toObject(selected, lists, rows[0], scope);
  }

  /**
   * One field of the caller's objects with these sourcedIds: sourcedId → the field's value
   * (a GUIDRef's sourcedId), for what a projection needs to know about the objects a page
   * names. No count, one query per CHUNK ids; an id the caller cannot see is absent.
   */
  async fieldOf(
    scope: TenantScope,
    resource: ResourceDef,
    field: string,
    sourcedIds: Iterable<string>,
  ): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const ids = [...new Set(sourcedIds)];
    if (scope.schoolIds.length === 0 || ids.length === 0) return out;
    const selected = this.selected(resource, ['sourcedId', field]);
    const select = this.columns(resource, selected);
    for (let i = 0; i < ids.length; i += CHUNK) {
      const where = this.where(scope, resource, null, [
        columnIn('sourced_id', ids.slice(i, i + CHUNK)),
      ]);
      const rows = (await readQuery(
        this.ds,
        scope.schoolIds,
        `SELECT ${select} FROM ${this.q(resource.table)} ${T} WHERE ${where.text}`,
        where.params,
      )) as Record<string, unknown>[];
      const lists = await this.loadLists(selected, rows);
      for (const row of rows) {
        const o = this.toObject(selected, lists, row, scope);
        const v = o[field];
        const value =
          v && typeof v === 'object'
            ? (v as { sourcedId?: unknown }).sourcedId
            : v;
        if (value !== undefined && value !== null)
          out.set(String(o['sourcedId']), String(value));
      }
    }
    return out;
  }

  /**
   * Whether the database plans a non-correlated subquery of a filter as a constant
   * (`FilterContext`): MariaDB and MySQL do, SQLite does not.
   */
  get foldsConstantSubqueries(): boolean {
    return this.mysql;
  }

  /**
   * Which of these tables hold any active row among the caller's schools, in one query
   * (an index probe on (school_id, status) per table): a table without any need not be
   * joined by its filters.
   */
  async tablesWithActiveRows(
    scope: TenantScope,
    tables: readonly string[],
  ): Promise<Set<string>> {
    const q = this.q;
    const found = new Set<string>();
    if (scope.schoolIds.length === 0 || tables.length === 0) return found;
    const schools = scope.schoolIds.map(() => '?').join(', ');
    const probes = tables.map(
      (table, i) =>
        `CASE WHEN EXISTS (SELECT 1 FROM ${q(table)} r WHERE r.${q('school_id')} IN (${schools}) AND r.${q('status')} = 'active') THEN 1 ELSE 0 END AS ${q(`t${i}`)}`,
    );
    const [row] = (await readQuery(
      this.ds,
      scope.schoolIds,
      `SELECT ${probes.join(', ')}`,
      tables.flatMap(() => scope.schoolIds),
    )) as Record<string, unknown>[];
    tables.forEach((table, i) => {
      if (Number(row?.[`t${i}`] ?? 0) === 1) found.add(table);
    });
    return found;
  }

  /** Throws UnknownObjectError unless the object exists for the caller (with those conditions). */
  async requireExists(
    scope: TenantScope,
    resource: ResourceDef,
    sourcedId: string,
    conditions: Condition[] = [],
    label = resource.name,
  ): Promise<void> {
    const rows = await this.rows(
      scope,
      resource,
      sourcedId,
      conditions,
      '1 AS one',
    );
    if (rows.length === 0)
      throw new UnknownObjectError(`Unknown object: ${label} ${sourcedId}`);
  }

  private async rows(
    scope: TenantScope,
    resource: ResourceDef,
    sourcedId: string,
    conditions: Condition[],
    select: string,
  ) {
    if (scope.schoolIds.length === 0) return [];
    const where = this.where(scope, resource, null, [
      ...conditions,
      columnEquals('sourced_id', sourcedId),
    ]);
    return (await readQuery(
      this.ds,
      scope.schoolIds,
      `SELECT ${select} FROM ${this.q(resource.table)} ${T} WHERE ${where.text} ORDER BY ${T}.${this.q('school_id')} LIMIT 1`,
      where.params,
    )) as Record<string, unknown>[];
  }

  private selected(
    resource: ResourceDef,
    fields: readonly string[] | null,
  ): FieldDef[] {
    return fields
      ? resource.fields.filter((f) => fields.includes(f.name))
      : resource.fields;
  }

  /**
   * A page's GUIDRef lists and, where the resource names them, the rows other tables hold
   * for its objects (`owned`: a 1.2 user's stored roles, profiles and resource links): one
   * query per school per CHUNK owners, a UNION ALL of one part per list and per owned table,
   * each part ordered as its own query would be (f, o, then its sort keys). Keyed by
   * school and owner, so an object held by two schools gets each school's own rows.
   */
  private async loadLists(
    fields: readonly FieldDef[],
    rows: readonly Record<string, unknown>[],
    owned: readonly OwnedSource[] = [],
  ): Promise<PageLinks> {
    const q = this.q;
    const listFields = fields.filter((f) => f.kind === 'refs' && f.list);
    const lists: PageLinks['lists'] = new Map(
      listFields.map((f) => [f.name, new Map<string, string[]>()]),
    );
    const ownedOut: PageLinks['owned'] = owned.length ? new Map() : null;
    if (rows.length === 0 || (listFields.length === 0 && !owned.length))
      return { lists, owned: ownedOut };
    // Sort keys s0… (a list: its value; an owned table: its order, then sourced_id) and the
    // owned tables' columns, each table its own run of c… so no column mixes two types.
    const sortWidth = Math.max(
      listFields.length ? 1 : 0,
      ...owned.map((o) => o.order.length + 1),
    );
    const firstColumn: number[] = [];
    let width = 0;
    for (const o of owned) {
      firstColumn.push(width);
      width += o.columns.length;
    }
    const pad = (values: string[], n: number) => {
      while (values.length < n) values.push('NULL');
      return values;
    };
    const part = (
      f: number,
      table: string,
      owner: string,
      position: string | null,
      sorts: string[],
      columns: [number, string[]] | null,
      active: boolean,
      n: number,
    ) => {
      const c = pad([], width);
      if (columns)
        columns[1].forEach((col, j) => (c[columns[0] + j] = `x.${q(col)}`));
      return `SELECT ${[
        `${f} AS ${q('f')}`,
        `x.${q(owner)} AS ${q('o')}`,
        `${position ? `x.${q(position)}` : 'NULL'} AS ${q('p')}`,
        ...pad(
          sorts.map((col) => `x.${q(col)}`),
          sortWidth,
        ).map((v, i) => `${v} AS ${q(`s${i}`)}`),
        ...c.map((v, i) => `${v} AS ${q(`c${i}`)}`),
      ].join(
        ', ',
      )} FROM ${q(table)} x WHERE x.${q('school_id')} = ? AND x.${q(owner)} IN (${new Array(n).fill('?').join(', ')})${active ? ` AND x.${q('status')} = 'active'` : ''}`;
    };
    const bySchool = new Map<string, string[]>();
    for (const r of rows) {
      const s = String(r['school_id']);
      const list = bySchool.get(s);
      if (list) list.push(String(r['sourced_id']));
      else bySchool.set(s, [String(r['sourced_id'])]);
    }
    const order = [
      'f',
      'o',
      'p',
      ...Array.from({ length: sortWidth }, (_, i) => `s${i}`),
    ]
      .map((c) => q(c))
      .join(', ');
    // The owned tables with active rows in each school (the page's probe columns; a row
    // read without them, as by fieldOf, looks them all up).
    const ownedIn = new Map<string, boolean[]>();
    for (const r of rows) {
      const s = String(r['school_id']);
      if (!ownedIn.has(s))
        ownedIn.set(
          s,
          owned.map((_, k) => {
            const v = r[ownedProbe(k)];
            return v === undefined || Number(v) === 1;
          }),
        );
    }
    for (const [school, owners] of bySchool) {
      const has = ownedIn.get(school) ?? [];
      if (listFields.length === 0 && !has.some(Boolean)) continue;
      for (let i = 0; i < owners.length; i += CHUNK) {
        const chunk = owners.slice(i, i + CHUNK);
        const parts = [
          ...listFields.map((f, k) => {
            const l = f.list!;
            return part(
              k,
              l.table,
              l.ownerColumn,
              l.orderColumn ?? null,
              [l.valueColumn],
              null,
              !!l.activeOnly,
              chunk.length,
            );
          }),
          ...owned.flatMap((o, k) =>
            has[k]
              ? [
                  part(
                    listFields.length + k,
                    o.table,
                    o.ownerColumn,
                    null,
                    [...o.order, 'sourced_id'],
                    [firstColumn[k], [...o.columns]],
                    true,
                    chunk.length,
                  ),
                ]
              : [],
          ),
        ];
        const found = (await readQuery(
          this.ds,
          [school],
          `${parts.join(' UNION ALL ')} ORDER BY ${order}`,
          parts.flatMap(() => [school, ...chunk]),
        )) as Record<string, unknown>[];
        for (const link of found) {
          const f = Number(link['f']);
          const key = `${school}\u0000${String(link['o'])}`;
          if (f < listFields.length) {
            const list = lists.get(listFields[f].name)!;
            const ids = list.get(key);
            const v = String(link['s0']);
            if (ids) ids.push(v);
            else list.set(key, [v]);
            continue;
          }
          const k = f - listFields.length;
          const o = owned[k];
          const record: Record<string, unknown> = {};
          o.columns.forEach(
            (col, j) => (record[col] = link[`c${firstColumn[k] + j}`]),
          );
          let of = ownedOut!.get(key);
          if (!of) ownedOut!.set(key, (of = {}));
          (of[o.name] ??= []).push(record);
        }
      }
    }
    return { lists, owned: ownedOut };
  }

  private toObject(
    fields: FieldDef[],
    links: PageLinks,
    row: Record<string, unknown>,
    scope: TenantScope,
  ): OneRosterObject {
    const o = this.serialiser.object(fields, row, scope.booleans, links.lists);
    if (links.owned)
      (o as OwnedObject)[OWNED_ROWS] =
        links.owned.get(`${row['school_id']}\u0000${row['sourced_id']}`) ?? {};
    return o;
  }
}
