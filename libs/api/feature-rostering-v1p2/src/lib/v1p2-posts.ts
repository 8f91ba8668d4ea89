import type { PostParent } from '@oneroster/data-access-oneroster';
import {
  InvalidDataError,
  PayloadTooLargeError,
  UnprocessableDataError,
} from '@oneroster/util-oneroster-query';

/*
 * The bodies of the four OneRoster 1.2 gradebook POSTs (1EdTech OneRoster 1.2 gradebook
 * service OpenAPI: postLineItemsForClass, postLineItemsForSchool, postResultsForLineItem,
 * postResultsForAcademicSessionForClass), read before each element is checked as a PUT
 * body. Rules enforced:
 * - the body is the set envelope of the operation's request schema (LineItemSetDType
 *   `{"lineItems": [...]}`, ResultSetDType `{"results": [...]}`), or the bare list; anything
 *   else is a 400;
 * - at most MAX_POST_ELEMENTS elements (413, saying the limit), at least one (422);
 * - each element is an object with its own `sourcedId` (the "supplied" one of the
 *   GUIDPairDType answer), distinct within the body: the answer pairs each supplied id with
 *   the one allocated, so two equal ones could not be told apart;
 * - the operations create objects "for a specific class / school / line item" (their
 *   descriptions): a reference the path fixes (a line item's `class` or `school`, a
 *   result's `lineItem` or `class`) is taken from the path when the element leaves it out,
 *   and an element naming another one is refused (422) rather than silently moved;
 * - problems are collected for every element, each prefixed with its index
 *   (`lineItems[2].class: ...`).
 */
type Json = Record<string, unknown>;

/** Elements per POST: 1,000 line items or results fit the API's 1 MB body limit. */
export const MAX_POST_ELEMENTS = 1000;
const MAX_SOURCED_ID = 255;

export type PostKind = 'lineItem' | 'result';

const COLLECTION: Record<PostKind, string> = {
  lineItem: 'lineItems',
  result: 'results',
};

export interface PostBodyElement {
  /** `lineItems[2]`: how problems name the element. */
  at: string;
  /** The client's sourcedId (empty when it gave none, which is then a problem). */
  supplied: string;
  /** The 1.2 object with the path's references filled in; null when it is not an object. */
  object: Json | null;
  problems: string[];
}

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const idOf = (v: unknown): string | undefined => {
  const id = isObject(v) ? v['sourcedId'] : v;
  return typeof id === 'string' && id ? id : undefined;
};

/** The parent a POST route's path names, by operationId. */
export function postParentOf(
  operationId: string,
  params: Readonly<Record<string, string>>,
): { kind: PostKind; parent: PostParent } {
  switch (operationId) {
    case 'postLineItemsForClass':
      return {
        kind: 'lineItem',
        parent: { kind: 'class', classSourcedId: params['classSourcedId'] },
      };
    case 'postLineItemsForSchool':
      return {
        kind: 'lineItem',
        parent: { kind: 'school', schoolSourcedId: params['schoolSourcedId'] },
      };
    case 'postResultsForLineItem':
      return {
        kind: 'result',
        parent: {
          kind: 'lineItem',
          lineItemSourcedId: params['lineItemSourcedId'],
        },
      };
    case 'postResultsForAcademicSessionForClass':
      return {
        kind: 'result',
        parent: {
          kind: 'classSession',
          classSourcedId: params['classSourcedId'],
          academicSessionSourcedId: params['academicSessionSourcedId'],
        },
      };
    default:
      throw new Error(`${operationId} is not a OneRoster 1.2 POST`);
  }
}

/** The references of a `kind` element that the path fixes: field → the path's sourcedId. */
function fixedByPath(parent: PostParent): Record<string, string> {
  switch (parent.kind) {
    case 'class':
      return { class: parent.classSourcedId };
    case 'school':
      return { school: parent.schoolSourcedId };
    case 'lineItem':
      return { lineItem: parent.lineItemSourcedId };
    case 'classSession':
      return { class: parent.classSourcedId };
  }
}

const LABEL: Record<string, string> = {
  class: 'class',
  school: 'school',
  lineItem: 'line item',
};

/**
 * A POST body read into its elements (400 for a body of the wrong shape, 413 above the
 * limit); the elements carry their own problems, the caller adds those of reading each as
 * a PUT body and of its references, and answers one 422 with all of them.
 */
export function readPostBody(
  kind: PostKind,
  body: unknown,
  parent: PostParent,
): PostBodyElement[] {
  const collection = COLLECTION[kind];
  const list = Array.isArray(body)
    ? body
    : isObject(body)
      ? body[collection]
      : undefined;
  if (!Array.isArray(list))
    throw new InvalidDataError(
      `The request body must be a JSON object {"${collection}": [...]}`,
    );
  if (list.length > MAX_POST_ELEMENTS)
    throw new PayloadTooLargeError(
      `At most ${MAX_POST_ELEMENTS} ${collection} per request (${list.length} sent): send the rest in further requests`,
    );
  if (list.length === 0)
    throw new UnprocessableDataError(
      `Invalid ${collection}: at least one element is required`,
    );
  const fixed = Object.entries(fixedByPath(parent));
  const firstAt = new Map<string, string>();
  return list.map((element, i) => {
    const at = `${collection}[${i}]`;
    const problems: string[] = [];
    if (!isObject(element))
      return {
        at,
        supplied: '',
        object: null,
        problems: [`${at}: expected a JSON object`],
      };
    const object: Json = { ...element };
    const sourcedId = element['sourcedId'];
    let supplied = '';
    if (sourcedId === undefined || sourcedId === null || sourcedId === '')
      problems.push(
        `${at}.sourcedId: required (the supplied sourcedId the answer pairs with the allocated one)`,
      );
    else if (typeof sourcedId !== 'string')
      problems.push(`${at}.sourcedId: must be a string`);
    else if (sourcedId.length > MAX_SOURCED_ID)
      problems.push(
        `${at}.sourcedId: longer than ${MAX_SOURCED_ID} characters`,
      );
    else {
      supplied = sourcedId;
      const earlier = firstAt.get(sourcedId);
      if (earlier)
        problems.push(
          `${at}.sourcedId: ${JSON.stringify(sourcedId)} is also the sourcedId of ${earlier}`,
        );
      else firstAt.set(sourcedId, at);
    }
    for (const [field, id] of fixed) {
      const v = element[field];
      if (v === undefined || v === null || v === '') {
        object[field] = { sourcedId: id };
        continue;
      }
      const named = idOf(v);
      if (named !== undefined && named !== id)
        problems.push(
          `${at}.${field}: names ${LABEL[field]} ${named} but the path names ${LABEL[field]} ${id}`,
        );
    }
    return { at, supplied, object, problems };
  });
}
