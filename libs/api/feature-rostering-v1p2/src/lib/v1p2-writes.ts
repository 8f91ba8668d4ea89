import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  GradebookWriter,
  InvalidBodyError,
  parseCategory,
  parseLineItem,
  parseResult,
  type OneRosterObject,
  type ParseOptions,
  type PostElement,
  type V1p2StoredKind,
  type WritableKind,
  type WriteOutcome,
} from '@oneroster/data-access-oneroster';
import {
  V1p2MappingError,
  fromV1p2,
  type V1p2ClassKey,
} from '@oneroster/oneroster-catalogue';
import {
  InvalidDataError,
  UnknownObjectError,
  UnprocessableDataError,
} from '@oneroster/util-oneroster-query';
import type { Principal } from '@oneroster/util-http';
import { V1p2RosteringReads } from './v1p2-reads';
import { readStoredV1p2Body, readV1p2NestedList } from './v1p2-bodies';
import { postParentOf, readPostBody } from './v1p2-posts';

/*
 * The 1.2 gradebook writes (PUT and DELETE of categories, line items and results), through
 * the 1.1 GradebookWriter: the body is read as 1.2 (`{"lineItem": {...}}`, or the bare
 * object), turned into 1.1 JSON by the catalogue's `fromV1p2`, then checked by the same body
 * rules as a 1.1 PUT (422 listing every problem; a body naming another sourcedId is a 400).
 * Rules beyond 1.1's:
 * - a 1.2 value 1.1 cannot hold where it requires one (a V1p2MappingError) is 422
 *   invaliddata naming the field; the fields stored for 1.2 only (a category's weight, a
 *   line item's and a result's scoreScale and learningObjectiveSet, a result's textScore
 *   and its four flags) are checked (a number; a GUIDRef naming an active score scale of
 *   the school; the 1.2 schema's nested list, element by element, as an assessment's; a
 *   string; "true"/"false") and stored;
 * - PUT answers 201 without a body when it creates and 200 without a body when it replaces;
 *   DELETE 204 (the 1.1 writer: deleting a line item deletes its results).
 * Score scales, assessment line items and assessment results (new in 1.2, stored as 1.2):
 * the body is checked against the 1.2 schema (v1p2-bodies.ts) and written by the same
 * writer (its per-school queue and change log); deleting an assessment line item deletes
 * its assessment results.
 * POSTs of line items and results (the gradebook OpenAPI's postLineItemsForClass,
 * postLineItemsForSchool, postResultsForLineItem, postResultsForAcademicSessionForClass):
 * the set is read by `readPostBody` (v1p2-posts.ts), each element as the PUT reads its
 * body, then `GradebookWriter.postMany` checks references and the path's parent and writes
 * all or none. The server allocates every sourcedId as a random UUID (RFC 9562 version 4,
 * `crypto.randomUUID`): 122 random bits, so it never meets another object's sourcedId in
 * practice, and the insert would refuse one that did rather than overwrite it. The answer
 * is 201 with GUIDPairSetDType `{"sourcedIdPairs": [{suppliedSourcedId,
 * allocatedSourcedId}]}` in body order.
 */
type Json = Record<string, unknown>;

const actorOf = (p: Principal) => ({
  clientId: p.clientId,
  integratorId: p.integratorId,
  userId: p.userId,
});

function unwrap(body: unknown, envelope: string): Json {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new InvalidDataError(
      `The request body must be a JSON object {"${envelope}": {...}}`,
    );
  const inner = (body as Json)[envelope];
  const obj = inner !== undefined ? inner : body;
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
    throw new InvalidDataError(`"${envelope}" must be a JSON object`);
  return obj as Json;
}

/**
 * The 1.1 body rules, reading the fields stored for 1.2 only too; a line item's or result's
 * learningObjectiveSet is checked against the 1.2 schema, as an assessment's is.
 */
const v1p2Options = (kind: 'lineItem' | 'result'): ParseOptions => ({
  v1p2: true,
  nestedList: (field, value, path, problems) =>
    readV1p2NestedList(kind, field, value, path, problems),
});
const V1P2 = { v1p2: true } as const;

const STORED: ReadonlySet<WritableKind> = new Set<V1p2StoredKind>([
  'scoreScale',
  'assessmentLineItem',
  'assessmentResult',
]);

@Injectable()
export class V1p2GradebookWrites {
  constructor(
    private readonly writer: GradebookWriter,
    private readonly reads: V1p2RosteringReads,
  ) {}

  async put(
    kind: WritableKind,
    principal: Principal,
    sourcedId: string,
    body: unknown,
  ): Promise<WriteOutcome> {
    if (STORED.has(kind))
      return this.writer.putStoredV1p2(
        { schoolIds: principal.schoolIds },
        actorOf(principal),
        kind as V1p2StoredKind,
        sourcedId,
        readStoredV1p2Body(kind as V1p2ClassKey, body, sourcedId),
      );
    const obj = unwrap(body, kind);
    // What the mapping checks the body against (the class's school, the line item's class).
    const { ctx, prepare } = this.reads.context(
      kind as V1p2ClassKey,
      principal,
    );
    await prepare?.([obj as OneRosterObject]);
    let v1p1: OneRosterObject;
    try {
      v1p1 = fromV1p2(kind, obj as OneRosterObject, ctx).value;
    } catch (e) {
      if (e instanceof V1p2MappingError)
        throw new UnprocessableDataError(
          `Invalid ${kind}: ${e.field}: ${e.reason}`,
        );
      throw e;
    }
    const scope = { schoolIds: principal.schoolIds };
    const actor = actorOf(principal);
    switch (kind) {
      case 'category':
        return this.writer.putCategory(
          scope,
          actor,
          sourcedId,
          parseCategory(v1p1, sourcedId, V1P2),
        );
      case 'lineItem':
        return this.writer.putLineItem(
          scope,
          actor,
          sourcedId,
          parseLineItem(v1p1, sourcedId, 'lineItem', v1p2Options('lineItem')),
        );
      default:
        return this.writer.putResult(
          scope,
          actor,
          sourcedId,
          parseResult(v1p1, sourcedId, 'result', v1p2Options('result')),
        );
    }
  }

  async post(
    operationId: string,
    principal: Principal,
    params: Readonly<Record<string, string>>,
    body: unknown,
  ): Promise<{
    sourcedIdPairs: { suppliedSourcedId: string; allocatedSourcedId: string }[];
  }> {
    const { kind, parent } = postParentOf(operationId, params);
    const scope = { schoolIds: principal.schoolIds };
    // "If the corresponding record cannot be located, the api will return a 404" (the
    // operations' descriptions): the parent first, whatever the body holds.
    if (!(await this.writer.postParent(scope, parent)))
      throw new UnknownObjectError(
        `Unknown object: ${Object.values(params).join(', ')}`,
      );
    const read = readPostBody(kind, body, parent);
    const ctx = this.reads.origin();
    const elements: PostElement[] = read.map((e) => {
      const problems = [...e.problems];
      const sourcedId = randomUUID();
      let input: PostElement['input'] = null;
      if (e.object) {
        try {
          // The element's own sourcedId is the supplied one, checked by readPostBody; the
          // object is read as a PUT body at its allocated sourcedId.
          const v1p1 = {
            ...fromV1p2(kind, e.object as OneRosterObject, ctx).value,
          };
          delete v1p1['sourcedId'];
          input =
            kind === 'lineItem'
              ? parseLineItem(v1p1, sourcedId, e.at, v1p2Options('lineItem'))
              : parseResult(v1p1, sourcedId, e.at, v1p2Options('result'));
        } catch (err) {
          if (err instanceof V1p2MappingError)
            problems.push(`${e.at}.${err.field}: ${err.reason}`);
          else if (err instanceof InvalidBodyError)
            problems.push(...err.problems);
          else throw err;
        }
      }
      const claim = (field: string) => {
        const v = e.object?.[field];
        const id = v && typeof v === 'object' ? (v as Json)['sourcedId'] : v;
        return typeof id === 'string' && id ? id : undefined;
      };
      return {
        at: e.at,
        sourcedId,
        input,
        problems,
        claims:
          kind === 'lineItem'
            ? { school: claim('school') }
            : { class: claim('class') },
      };
    });
    const outcomes = await this.writer.postMany(
      scope,
      actorOf(principal),
      parent,
      elements,
    );
    return {
      sourcedIdPairs: outcomes.map((o, i) => ({
        suppliedSourcedId: read[i].supplied,
        allocatedSourcedId: String(o.object['sourcedId']),
      })),
    };
  }

  delete(kind: WritableKind, principal: Principal, sourcedId: string) {
    return this.writer.delete(
      { schoolIds: principal.schoolIds },
      actorOf(principal),
      kind,
      sourcedId,
    );
  }
}
