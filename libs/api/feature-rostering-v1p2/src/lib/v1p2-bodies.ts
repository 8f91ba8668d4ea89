import { isV1p2ExtensionValue } from '@oneroster/contracts';
import {
  V1P2_OBJECTS,
  v1p2ClassDef,
  type V1p2ClassKey,
  type V1p2FieldDef,
} from '@oneroster/oneroster-catalogue';
import {
  InvalidDataError,
  UnprocessableDataError,
} from '@oneroster/util-oneroster-query';

/*
 * PUT bodies of the classes new in OneRoster 1.2 (ScoreScaleDType, AssessmentLineItemDType,
 * AssessmentResultDType of the gradebook service OpenAPI), checked against the 1.2
 * catalogue's field definitions: the same leniency as the 1.1 PUT bodies (gradebook-bodies.ts
 * in data-access-oneroster) and the 1.2 schema's types:
 * - the object in its envelope (`{"scoreScale": {...}}`) or bare; a body `sourcedId` other
 *   than the path's is a 400; `status` and `dateLastModified` are set by the server;
 * - required fields (the schema's `required` list), strings, numbers, `YYYY-MM-DD` dates,
 *   vocabularies (with `ext:` values where the schema allows them), "true"/"false"
 *   booleans, GUIDRefs (only `sourcedId` is read; a bare string is a sourcedId) and the
 *   nested lists (scoreScaleValue, learningObjectiveSet), element by element;
 * - every problem is listed in one 422 invaliddata; a property outside the schema is
 *   ignored, as on 1.1.
 * What comes out keeps the 1.2 names: GUIDRefs as sourcedIds, booleans as booleans.
 */
type Json = Record<string, unknown>;

/** Stored as 255-character columns (title, type, textScore, GUIDRef sourcedIds). */
const MAX_SHORT_TEXT = 255;
/** Description, comment and the JSON of metadata and nested lists: a TEXT column. */
const MAX_LONG_TEXT = 16_000;
const LONG_TEXT = new Set(['description', 'comment']);
const SERVER_SET = new Set(['sourcedId', 'status', 'dateLastModified']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** LearningObjectiveSetDType.source: a listed value or `/name` (the schema's pattern). */
const OBJECTIVE_SOURCE = /^\/(?!case$)(?!unknown$)[a-z0-9]+$/;

export type StoredV1p2Body = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const validDate = (v: string) =>
  DATE.test(v) &&
  !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
  new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

function value(
  f: V1p2FieldDef,
  v: unknown,
  path: string,
  problems: string[],
): unknown {
  const bad = (what: string) => {
    problems.push(`${path}: ${what}`);
    return undefined;
  };
  switch (f.type) {
    case 'guidRef': {
      const id = isObject(v) ? v['sourcedId'] : v;
      if (typeof id !== 'string' || !id)
        return bad('expected a GUIDRef {"sourcedId": …}');
      if (id.length > MAX_SHORT_TEXT)
        return bad(`a sourcedId has at most ${MAX_SHORT_TEXT} characters`);
      return id;
    }
    case 'number':
      return typeof v === 'number' && Number.isFinite(v)
        ? v
        : bad('expected a number');
    case 'date':
      return typeof v === 'string' && validDate(v)
        ? v
        : bad('expected a date YYYY-MM-DD');
    case 'stringBoolean':
      return v === 'true'
        ? true
        : v === 'false'
          ? false
          : bad('expected "true" or "false"');
    case 'metadata':
      if (!isObject(v)) return bad('expected a JSON object');
      return JSON.stringify(v).length > MAX_LONG_TEXT
        ? bad(`at most ${MAX_LONG_TEXT} characters of JSON`)
        : v;
    case 'enum': {
      if (typeof v !== 'string') return bad('expected a string');
      const ok =
        (f.values ?? []).includes(v) ||
        (f.extensible && isV1p2ExtensionValue(v)) ||
        (f.name === 'source' && OBJECTIVE_SOURCE.test(v));
      return ok
        ? v
        : bad(
            `${JSON.stringify(v)} is not one of ${(f.values ?? []).join(', ')}${f.extensible ? ' or an ext: value' : ''}`,
          );
    }
    case 'object': {
      const def = V1P2_OBJECTS[f.of as keyof typeof V1P2_OBJECTS];
      if (!isObject(v)) return bad('expected a JSON object');
      return nested(def.fields, v, path, problems);
    }
    default: {
      if (typeof v !== 'string') return bad('expected a string');
      const max = LONG_TEXT.has(f.name) ? MAX_LONG_TEXT : MAX_SHORT_TEXT;
      return v.length > max ? bad(`at most ${max} characters`) : v;
    }
  }
}

function field(
  f: V1p2FieldDef,
  v: unknown,
  path: string,
  problems: string[],
): unknown {
  if (!f.list) return value(f, v, path, problems);
  if (!Array.isArray(v)) {
    problems.push(`${path}: expected a list`);
    return undefined;
  }
  if (f.nonEmpty && v.length === 0) {
    problems.push(`${path}: at least one element is required`);
    return undefined;
  }
  return v.map((x, i) => value(f, x, `${path}[${i}]`, problems));
}

function nested(
  fields: readonly V1p2FieldDef[],
  o: Json,
  path: string,
  problems: string[],
): Json {
  const out: Json = {};
  for (const f of fields) {
    if (f.rest === false) continue;
    const v = o[f.name];
    const p = `${path}.${f.name}`;
    if (v === undefined || v === null || v === '') {
      if (f.required) problems.push(`${p}: required`);
      continue;
    }
    const r = field(f, v, p, problems);
    if (r !== undefined) out[f.name] = r;
  }
  return out;
}

/**
 * A 1.2 PUT body of a stored 1.2-only class, checked (400 for a malformed body or another
 * sourcedId, 422 listing every problem), as its 1.2 fields without the server-set ones.
 */
export function readStoredV1p2Body(
  key: V1p2ClassKey,
  body: unknown,
  pathId: string,
): StoredV1p2Body {
  const cls = v1p2ClassDef(key);
  if (cls.from)
    throw new Error(`${key} is stored as OneRoster 1.1: use fromV1p2`);
  const envelope = cls.single;
  if (!pathId || pathId.length > MAX_SHORT_TEXT)
    throw new InvalidDataError(
      `A sourcedId has 1 to ${MAX_SHORT_TEXT} characters`,
    );
  if (!isObject(body))
    throw new InvalidDataError(
      `The request body must be a JSON object {"${envelope}": {...}}`,
    );
  const inner = body[envelope];
  const obj = inner !== undefined ? inner : body;
  if (!isObject(obj))
    throw new InvalidDataError(`"${envelope}" must be a JSON object`);
  const sourcedId = obj['sourcedId'];
  if (sourcedId !== undefined && sourcedId !== null && sourcedId !== pathId)
    throw new InvalidDataError(
      `The body names sourcedId ${JSON.stringify(sourcedId)} but the path names ${pathId}`,
    );
  const problems: string[] = [];
  const out = nested(
    cls.fields.filter((f) => !SERVER_SET.has(f.name)),
    obj,
    key,
    problems,
  );
  for (const f of cls.fields)
    if (f.type === 'object' && out[f.name] !== undefined) {
      const json = JSON.stringify(out[f.name]);
      if (json.length > MAX_LONG_TEXT)
        problems.push(
          `${key}.${f.name}: at most ${MAX_LONG_TEXT} characters of JSON`,
        );
    }
  if (problems.length)
    throw new UnprocessableDataError(`Invalid ${key}: ${problems.join('; ')}`);
  return out;
}

/**
 * One nested-list field of a 1.2 class stored through 1.1 (a line item's or a result's
 * learningObjectiveSet), checked element by element against the 1.2 catalogue as a stored
 * 1.2 class's body is (`problems` gets one entry per problem, under `path`); what comes out
 * is the list as stored, `null` for none (absent, null or empty).
 */
export function readV1p2NestedList(
  key: V1p2ClassKey,
  name: string,
  v: unknown,
  path: string,
  problems: string[],
): unknown[] | null {
  if (v === undefined || v === null || v === '') return null;
  const f = v1p2ClassDef(key).fields.find((x) => x.name === name);
  if (!f?.list || f.type !== 'object')
    throw new Error(`${key}.${name} is not a nested list`);
  const before = problems.length;
  const out = field(f, v, path, problems);
  if (problems.length > before || !Array.isArray(out)) return null;
  if (JSON.stringify(out).length > MAX_LONG_TEXT) {
    problems.push(`${path}: at most ${MAX_LONG_TEXT} characters of JSON`);
    return null;
  }
  return out.length ? out : null;
}
