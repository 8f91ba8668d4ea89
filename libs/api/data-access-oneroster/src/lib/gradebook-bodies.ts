import { Metadata, SCORE_STATUSES, ScoreStatus } from '@oneroster/contracts';
import type {
  CategoryInput,
  LineItemInput,
  ResultInput,
} from './gradebook-writer';
import {
  InvalidDataError,
  UnprocessableDataError,
} from '@oneroster/util-oneroster-query';

/**
 * Reading PUT bodies. Lenient about shape, strict about content:
 * - the object may come in its envelope (`{"lineItem": {...}}`, as the spec sends it) or bare;
 * - `sourcedId` in the body may be left out; if given it must equal the path's (else 400);
 * - `status` and `dateLastModified` in the body are ignored: the server sets them;
 * - GUIDRefs need only `sourcedId` (`href` and `type` are ignored); a bare string is read
 *   as a sourcedId;
 * - unknown properties are ignored;
 * - wrong types, unknown enum values, malformed dates, and missing required fields are
 *   422 invaliddata, listing every problem; nothing is written.
 */
type Json = Record<string, unknown>;

/**
 * 422 invaliddata listing every problem of a body; `problems` keeps them one by one, each
 * starting with the path of what is wrong (`lineItem.title`, `lineItems[2].title`).
 */
export class InvalidBodyError extends UnprocessableDataError {
  constructor(
    kind: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid ${kind}: ${problems.join('; ')}`);
  }
}

class Problems {
  readonly list: string[] = [];
  add(path: string, what: string) {
    this.list.push(`${path}: ${what}`);
  }
  throwIfAny(kind: string) {
    if (this.list.length) throw new InvalidBodyError(kind, this.list);
  }
}

function unwrap(body: unknown, envelope: string, pathId: string): Json {
  if (!pathId || pathId.length > MAX_SHORT_TEXT) {
    throw new InvalidDataError(
      `A sourcedId has 1 to ${MAX_SHORT_TEXT} characters`,
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidDataError(
      `The request body must be a JSON object {"${envelope}": {...}}`,
    );
  }
  const inner = (body as Json)[envelope];
  const obj = inner !== undefined ? inner : body;
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new InvalidDataError(`"${envelope}" must be a JSON object`);
  }
  const sourcedId = (obj as Json)['sourcedId'];
  if (sourcedId !== undefined && sourcedId !== null && sourcedId !== pathId) {
    throw new InvalidDataError(
      `The body names sourcedId ${JSON.stringify(sourcedId)} but the path names ${pathId}`,
    );
  }
  return obj as Json;
}

/** Longest value of a short text field (they are stored as 255-character columns). */
const MAX_SHORT_TEXT = 255;
/** Longest long text (description, comment, metadata as JSON): 16,000 characters fit a TEXT column in any encoding. */
const MAX_LONG_TEXT = 16_000;

function text(
  o: Json,
  key: string,
  path: string,
  p: Problems,
  required: boolean,
  maxLength: number | null = MAX_SHORT_TEXT,
): string | null {
  const v = o[key];
  if (v === undefined || v === null || v === '') {
    if (required) p.add(`${path}.${key}`, 'required');
    return null;
  }
  if (typeof v !== 'string') {
    p.add(`${path}.${key}`, 'must be a string');
    return null;
  }
  if (maxLength !== null && [...v].length > maxLength) {
    p.add(`${path}.${key}`, `longer than ${maxLength} characters`);
    return null;
  }
  return v;
}

function guidRef(
  o: Json,
  key: string,
  path: string,
  p: Problems,
  required: boolean,
): string | null {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required)
      p.add(`${path}.${key}`, 'required (a GUIDRef with a sourcedId)');
    return null;
  }
  const id =
    typeof v === 'string'
      ? v
      : typeof v === 'object' && !Array.isArray(v)
        ? (v as Json)['sourcedId']
        : undefined;
  if (typeof id === 'string' && id && id.length <= MAX_SHORT_TEXT) return id;
  p.add(`${path}.${key}`, 'must be a GUIDRef with a sourcedId');
  return null;
}

function number(
  o: Json,
  key: string,
  path: string,
  p: Problems,
): number | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    p.add(`${path}.${key}`, 'must be a number');
    return null;
  }
  return v;
}

/**
 * A YYYY-MM-DD that names a real day. JavaScript's Date rolls 2026-02-30 over to March 2,
 * and a database refuses it, so neither may decide.
 */
function isCalendarDay(ymd: string): boolean {
  const d = new Date(`${ymd}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === ymd;
}

const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function dateTime(
  o: Json,
  key: string,
  path: string,
  p: Problems,
): Date | null {
  const v = o[key];
  if (v === undefined || v === null || v === '') return null;
  const d =
    typeof v === 'string' && DATE_TIME.test(v) && isCalendarDay(v.slice(0, 10))
      ? new Date(v.length === 10 ? `${v}T00:00:00Z` : v)
      : null;
  if (!d || Number.isNaN(d.getTime())) {
    p.add(
      `${path}.${key}`,
      'must be an ISO 8601 date-time such as 2026-09-14T09:00:00Z',
    );
    return null;
  }
  return d;
}

function date(o: Json, key: string, path: string, p: Problems): string | null {
  const v = o[key];
  if (v === undefined || v === null || v === '') return null;
  if (
    typeof v !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}/.test(v) ||
    !isCalendarDay(v.slice(0, 10))
  ) {
    p.add(`${path}.${key}`, 'must be a date YYYY-MM-DD');
    return null;
  }
  return v.slice(0, 10);
}

function metadata(o: Json, path: string, p: Problems): Metadata | null {
  const v = o['metadata'];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) {
    p.add(`${path}.metadata`, 'must be an object');
    return null;
  }
  if (JSON.stringify(v).length > MAX_LONG_TEXT) {
    p.add(
      `${path}.metadata`,
      `longer than ${MAX_LONG_TEXT} characters as JSON`,
    );
    return null;
  }
  return v as Metadata;
}

function flag(o: Json, key: string, path: string, p: Problems): boolean | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'boolean') {
    p.add(`${path}.${key}`, 'must be "true" or "false"');
    return null;
  }
  return v;
}

/**
 * `v1p2`: the body is a OneRoster 1.2 object read as 1.1 (`fromV1p2`), whose fields stored
 * for 1.2 only (the 1.1 catalogue's `v1p2` fields: weight, scoreScale, textScore, the result
 * flags, learningObjectiveSet) are read too. A 1.1 body never has them read: they are unknown properties there,
 * ignored, and the write clears them.
 */
export interface ParseOptions {
  readonly v1p2?: boolean;
  /**
   * With `v1p2`: checks a 1.2 nested list kept whole (a line item's or result's
   * learningObjectiveSet) against the 1.2 schema, adding one problem per fault under `path`,
   * and gives the list to store (`null` for none). Without it such a list is not read.
   */
  readonly nestedList?: (
    field: string,
    value: unknown,
    path: string,
    problems: string[],
  ) => unknown[] | null;
}

/** A 1.2 nested list kept whole, read by `options.nestedList` (null when none is given). */
function nestedList(
  o: Json,
  key: string,
  path: string,
  p: Problems,
  options: ParseOptions,
): unknown[] | null {
  return options.nestedList
    ? options.nestedList(key, o[key], `${path}.${key}`, p.list)
    : null;
}

export function parseCategory(
  body: unknown,
  pathId: string,
  options: ParseOptions = {},
): CategoryInput {
  const o = unwrap(body, 'category', pathId);
  const p = new Problems();
  const title = text(o, 'title', 'category', p, true);
  const meta = metadata(o, 'category', p);
  const weight = options.v1p2 ? number(o, 'weight', 'category', p) : null;
  p.throwIfAny('category');
  return {
    title: title as string,
    metadata: meta,
    ...(options.v1p2 ? { weight } : {}),
  };
}

/**
 * `at` names the object in problems: `lineItem` for a PUT, `lineItems[2]` for the third
 * element of a 1.2 POST.
 */
export function parseLineItem(
  body: unknown,
  pathId: string,
  at = 'lineItem',
  options: ParseOptions = {},
): LineItemInput {
  const o = unwrap(body, 'lineItem', pathId);
  const p = new Problems();
  const input: LineItemInput = {
    title: text(o, 'title', at, p, true) as string,
    description: text(o, 'description', at, p, false, MAX_LONG_TEXT),
    assignDate: dateTime(o, 'assignDate', at, p),
    dueDate: dateTime(o, 'dueDate', at, p),
    classSourcedId: guidRef(o, 'class', at, p, true) as string,
    categorySourcedId: guidRef(o, 'category', at, p, false),
    gradingPeriodSourcedId: guidRef(o, 'gradingPeriod', at, p, false),
    resultValueMin: number(o, 'resultValueMin', at, p),
    resultValueMax: number(o, 'resultValueMax', at, p),
    metadata: metadata(o, at, p),
    ...(options.v1p2
      ? {
          scoreScaleSourcedId: guidRef(o, 'scoreScale', at, p, false),
          learningObjectiveSet: nestedList(
            o,
            'learningObjectiveSet',
            at,
            p,
            options,
          ),
        }
      : {}),
  };
  p.throwIfAny('lineItem');
  return input;
}

/** `at` as for parseLineItem: `result`, or `results[2]` in a 1.2 POST. */
export function parseResult(
  body: unknown,
  pathId: string,
  at = 'result',
  options: ParseOptions = {},
): ResultInput {
  const o = unwrap(body, 'result', pathId);
  const p = new Problems();
  const status = o['scoreStatus'];
  let scoreStatus: ScoreStatus = 'fully graded';
  if (status === undefined || status === null || status === '')
    p.add(`${at}.scoreStatus`, 'required');
  else if (
    typeof status !== 'string' ||
    !(SCORE_STATUSES as readonly string[]).includes(status)
  ) {
    p.add(`${at}.scoreStatus`, `must be one of ${SCORE_STATUSES.join(', ')}`);
  } else scoreStatus = status as ScoreStatus;
  const input: ResultInput = {
    lineItemSourcedId: guidRef(o, 'lineItem', at, p, true) as string,
    studentSourcedId: guidRef(o, 'student', at, p, true) as string,
    scoreStatus,
    score: number(o, 'score', at, p),
    scoreDate: date(o, 'scoreDate', at, p),
    comment: text(o, 'comment', at, p, false, MAX_LONG_TEXT),
    metadata: metadata(o, at, p),
    ...(options.v1p2
      ? {
          scoreScaleSourcedId: guidRef(o, 'scoreScale', at, p, false),
          textScore: text(o, 'textScore', at, p, false),
          inProgress: flag(o, 'inProgress', at, p),
          incomplete: flag(o, 'incomplete', at, p),
          late: flag(o, 'late', at, p),
          missing: flag(o, 'missing', at, p),
          learningObjectiveSet: nestedList(
            o,
            'learningObjectiveSet',
            at,
            p,
            options,
          ),
        }
      : {}),
  };
  p.throwIfAny('result');
  return input;
}
