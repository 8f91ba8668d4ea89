/**
 * Generated cross-school isolation probes for the OneRoster API.
 *
 * Rules the probes check (DESIGN "Data and tenancy"; README "Access"):
 * - every request reads only the token's schools: no sourcedId or email that exists only in
 *   another school may appear anywhere in a response body (as a value, a key, or the last
 *   segment of an href), except where the request itself carried it (an error or warning
 *   naming the value it was given); `sourcedId`, `href` and `email` values never count as
 *   echoes, so a record of another school found by a filter naming it is a leak;
 * - another school's id in a path answers 404 exactly like an id that does not exist
 *   (or 400 when the query itself is invalid), never 200;
 * - no input answers a 5xx.
 *
 * The routes come from the API's own OpenAPI document (Nest's route table), not a hand list,
 * so a new endpoint is probed as soon as it exists.
 */

export type Row = Record<string, unknown>;
export type Query = (sql: string, params?: unknown[]) => Promise<Row[]>;

/** Collections whose ids may appear in a path, keyed by the API's collection names. */
export const ID_KINDS = [
  'orgs',
  'schools',
  'academicSessions',
  'terms',
  'gradingPeriods',
  'courses',
  'classes',
  'users',
  'students',
  'teachers',
  'enrollments',
  'demographics',
  'categories',
  'lineItems',
  'results',
  'resources',
] as const;
export type IdKind = (typeof ID_KINDS)[number];

/** What one school holds: every sourcedId by kind, its emails, and values to filter on. */
export interface SchoolWorld {
  schoolId: string;
  ids: Record<IdKind, string[]>;
  emails: string[];
  names: string[];
  titles: string[];
}

const SQL: Record<IdKind, string> = {
  orgs: 'SELECT school_id, sourced_id FROM orgs',
  schools: "SELECT school_id, sourced_id FROM orgs WHERE type = 'school'",
  academicSessions: 'SELECT school_id, sourced_id FROM academic_sessions',
  terms:
    "SELECT school_id, sourced_id FROM academic_sessions WHERE type = 'term'",
  gradingPeriods:
    "SELECT school_id, sourced_id FROM academic_sessions WHERE type = 'gradingPeriod'",
  courses: 'SELECT school_id, sourced_id FROM courses',
  classes: 'SELECT school_id, sourced_id FROM classes',
  users: 'SELECT school_id, sourced_id FROM users',
  students: "SELECT school_id, sourced_id FROM users WHERE role = 'student'",
  teachers: "SELECT school_id, sourced_id FROM users WHERE role = 'teacher'",
  enrollments: 'SELECT school_id, sourced_id FROM enrollments',
  demographics: 'SELECT school_id, sourced_id FROM demographics',
  categories: 'SELECT school_id, sourced_id FROM categories',
  lineItems: 'SELECT school_id, sourced_id FROM line_items',
  results: 'SELECT school_id, sourced_id FROM results',
  resources: 'SELECT school_id, sourced_id FROM resources',
};

/** Reads every school's ids, emails, names and titles (all of them: leak checks need all). */
export async function loadSchoolWorlds(query: Query): Promise<SchoolWorld[]> {
  const worlds = new Map<string, SchoolWorld>();
  const world = (schoolId: string) => {
    let w = worlds.get(schoolId);
    if (!w) {
      w = {
        schoolId,
        ids: Object.fromEntries(ID_KINDS.map((k) => [k, []])) as never,
        emails: [],
        names: [],
        titles: [],
      };
      worlds.set(schoolId, w);
    }
    return w;
  };
  for (const s of await query('SELECT id FROM schools ORDER BY id'))
    world(String(s['id']));
  for (const kind of ID_KINDS)
    for (const r of await query(`${SQL[kind]} ORDER BY school_id, sourced_id`))
      world(String(r['school_id'])).ids[kind].push(String(r['sourced_id']));
  for (const r of await query(
    'SELECT school_id, email, family_name, given_name FROM users ORDER BY school_id, sourced_id',
  )) {
    const w = world(String(r['school_id']));
    if (r['email']) w.emails.push(String(r['email']));
    w.names.push(String(r['family_name']), String(r['given_name']));
  }
  for (const r of await query(
    'SELECT school_id, title FROM classes UNION ALL SELECT school_id, title FROM line_items',
  ))
    world(String(r['school_id'])).titles.push(String(r['title']));
  return [...worlds.values()];
}

/** Identifiers that exist in other schools and in none of the caller's (shared rows excluded). */
export function foreignOnly(
  worlds: SchoolWorld[],
  callerSchools: string[],
): Set<string> {
  const own = new Set<string>();
  const other = new Set<string>();
  for (const w of worlds) {
    const into = callerSchools.includes(w.schoolId) ? own : other;
    // Compared case-insensitively, as findLeaks lowercases what it reads.
    for (const kind of ID_KINDS)
      for (const id of w.ids[kind]) into.add(id.toLowerCase());
    for (const e of w.emails) into.add(e.toLowerCase());
  }
  for (const id of own) other.delete(id);
  return other;
}

const STRUCTURAL_KEYS = new Set(['sourcedId', 'href', 'email']);

/** The words a string is made of, for matching ids and emails inside text and hrefs. */
export function tokens(text: string): string[] {
  return [
    text,
    ...text.split(/[^A-Za-z0-9@._+-]+/).filter((t) => t && t !== text),
  ].map((t) => t.toLowerCase());
}

/**
 * Every foreign-only identifier found in a response body. A value the request carried
 * (`echoed`) is allowed back in descriptions and warnings, never as a record's sourcedId,
 * href or email.
 */
export function findLeaks(
  body: unknown,
  foreign: Set<string>,
  echoed: Set<string>,
): string[] {
  const leaks: string[] = [];
  const check = (text: string, key: string) => {
    for (const t of tokens(text))
      if (foreign.has(t) && (STRUCTURAL_KEYS.has(key) || !echoed.has(t)))
        leaks.push(`${key}: ${t}`);
  };
  const walk = (v: unknown, key: string) => {
    if (typeof v === 'string') check(v, key);
    else if (Array.isArray(v)) for (const x of v) walk(x, key);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        check(k, '(key)');
        walk(x, k);
      }
  };
  walk(body, '');
  return leaks;
}

export interface Route {
  method: string;
  /** OpenAPI path, e.g. `/ims/oneroster/v1p1/classes/{classSourcedId}/students`. */
  path: string;
  params: string[];
  query: string[];
}

interface OpenApiLike {
  paths: object;
}
type Operation = { parameters?: { name?: string; in?: string }[] };

/** Every OneRoster route of the API's OpenAPI document. */
export function routesFromOpenApi(doc: OpenApiLike, prefix: string): Route[] {
  const routes: Route[] = [];
  for (const [path, ops] of Object.entries(
    doc.paths as Record<string, Record<string, Operation>>,
  )) {
    if (!path.startsWith(prefix)) continue;
    for (const [method, op] of Object.entries(ops)) {
      if (!['get', 'put', 'post', 'patch', 'delete'].includes(method)) continue;
      const ps = op.parameters ?? [];
      const names = (where: string) =>
        ps.filter((p) => p.in === where).map((p) => String(p.name));
      routes.push({
        method: method.toUpperCase(),
        path,
        params: names('path'),
        query: names('query'),
      });
    }
  }
  return routes;
}

/**
 * The kind of id a path parameter takes: `classSourcedId` → classes, and a bare
 * `sourcedId` → the collection named just before it.
 */
export function paramKind(route: Route, param: string): IdKind | null {
  let name: string;
  if (param === 'sourcedId') {
    const parts = route.path.split('/');
    name = parts[parts.indexOf(`{${param}}`) - 1];
  } else {
    const stem = param.replace(/SourcedId$/, '');
    name = stem.endsWith('s') ? `${stem}es` : `${stem}s`;
  }
  return (ID_KINDS as readonly string[]).includes(name)
    ? (name as IdKind)
    : null;
}

/** A small seeded generator (mulberry32), so a failing probe can be replayed by its seed. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T | undefined =>
    xs.length ? xs[int(xs.length)] : undefined;
  /** Like pick, for a list that must not be empty. */
  const one = <T>(xs: readonly T[]): T => {
    if (!xs.length) throw new Error('nothing to pick from');
    return xs[int(xs.length)];
  };
  return { next, int, pick, one };
}

export interface Probe {
  method: string;
  /** Path and query string, ready to append to the API's base URL. */
  url: string;
  /** The probe puts an id of another school (and of none of the caller's) in the path. */
  foreignPath: boolean;
  caller: string;
}

export interface Caller {
  label: string;
  schoolIds: string[];
}

const FILTER_FIELDS = [
  'sourcedId',
  'email',
  'username',
  'familyName',
  'givenName',
  'title',
  'class.sourcedId',
  'class',
  'user',
  'school',
  'orgs',
  'course',
  'lineItem',
  'student',
  'parent',
  'identifier',
];
const quote = (v: string) => `'${v.replace(/'/g, "''")}'`;

/**
 * Read probes: every GET route, with path ids from another school (all of them, or only the
 * innermost one under the caller's own parent), and filters, `fields` and `sort` naming
 * other schools' sourcedIds, emails and names.
 */
export function generateReadProbes(options: {
  routes: Route[];
  worlds: SchoolWorld[];
  callers: Caller[];
  count: number;
  seed: number;
}): Probe[] {
  const rnd = seededRandom(options.seed);
  const gets = options.routes.filter((r) => r.method === 'GET');
  const probes: Probe[] = [];
  const byId = new Map(options.worlds.map((w) => [w.schoolId, w]));
  const ownIds = new Map(
    options.callers.map((c) => {
      const ids = new Set<string>();
      for (const s of c.schoolIds)
        for (const k of ID_KINDS)
          for (const id of byId.get(s)?.ids[k] ?? []) ids.add(id);
      return [c.label, ids];
    }),
  );
  for (let i = 0; probes.length < options.count; i++) {
    const caller = options.callers[i % options.callers.length];
    const route = gets[Math.floor(i / options.callers.length) % gets.length];
    const own = options.worlds.filter((w) =>
      caller.schoolIds.includes(w.schoolId),
    );
    const others = options.worlds.filter(
      (w) => !caller.schoolIds.includes(w.schoolId),
    );
    if (!others.length || !own.length) break;
    const foreign = () => rnd.one(others);
    const mine = () => rnd.one(own);
    const mineIds = ownIds.get(caller.label) ?? new Set<string>();
    const isForeignOnly = (id: string) => !mineIds.has(id);
    // 0: every path id foreign; 1: only the innermost one; 2: own path ids, foreign query values.
    const mode = route.params.length ? rnd.int(3) : 2;
    let foreignPath = false;
    let path = route.path;
    route.params.forEach((param, n) => {
      const kind = paramKind(route, param);
      const useForeign =
        mode === 0 || (mode === 1 && n === route.params.length - 1);
      const w = useForeign ? foreign() : mine();
      const id = (kind && rnd.pick(w.ids[kind])) || `missing-${rnd.int(1e9)}`;
      if (useForeign && isForeignOnly(id)) foreignPath = true;
      path = path.replace(`{${param}}`, encodeURIComponent(id));
    });
    const query = new URLSearchParams();
    const fw = foreign();
    const anyId = () => {
      const kind = rnd.one(ID_KINDS);
      return rnd.pick(fw.ids[kind]) ?? 'none';
    };
    const value = () =>
      [
        anyId,
        () => rnd.pick(fw.emails) ?? 'none',
        () => rnd.pick(fw.names) ?? 'none',
        () => rnd.pick(fw.titles) ?? 'none',
      ][rnd.int(4)]();
    if (route.query.includes('filter') && rnd.next() < 0.8) {
      const clause = () =>
        `${rnd.pick(FILTER_FIELDS)}${rnd.pick(['=', '=', '~', '!=', '>='])}${quote(value())}`;
      const filter = [
        () => clause(),
        () => `${clause()} OR ${clause()}`,
        () => `status='active' AND ${clause()}`,
        () => `sourcedId=${quote(anyId())}`,
        () => `email~${quote((rnd.pick(fw.emails) ?? 'x@y').split('@')[1])}`,
      ][rnd.int(5)]();
      query.set('filter', filter);
    }
    if (route.query.includes('fields') && rnd.next() < 0.4)
      query.set(
        'fields',
        ['sourcedId', rnd.pick(['email', 'familyName', 'title']), value()].join(
          ',',
        ),
      );
    if (route.query.includes('sort') && rnd.next() < 0.4) {
      query.set(
        'sort',
        rnd.next() < 0.5
          ? value()
          : rnd.one(['familyName', 'email', 'title', 'sourcedId']),
      );
      query.set('orderBy', rnd.one(['asc', 'desc']));
    }
    if (route.query.includes('limit') && rnd.next() < 0.3)
      query.set('limit', String(rnd.pick([1, 50, 10000])));
    if (route.query.includes('offset') && rnd.next() < 0.2)
      query.set('offset', String(rnd.int(200)));
    const qs = query.toString();
    probes.push({
      method: 'GET',
      url: qs ? `${path}?${qs}` : path,
      foreignPath,
      caller: caller.label,
    });
  }
  return probes;
}

/** Tokens of a request (decoded URL and body), the values a response may echo. */
export function echoedBy(url: string, body?: string): Set<string> {
  let decoded = url;
  try {
    decoded = decodeURIComponent(url.replace(/\+/g, ' '));
  } catch {
    /* keep it encoded */
  }
  return new Set(
    [...tokens(decoded), ...(body ? tokens(body) : [])].map((t) =>
      t.toLowerCase(),
    ),
  );
}
