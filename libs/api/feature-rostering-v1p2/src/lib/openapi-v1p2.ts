/** A JSON Schema object of the document (OpenAPI 3.0 dialect). */
type SchemaObject = Record<string, unknown>;
import {
  V1P2_OBJECTS,
  V1P2_BASE_PATHS,
  V1P2_ROUTES,
  v1p2ClassDef,
  v1p2ClassesOf,
  type V1p2ClassDef,
  type V1p2FieldDef,
  type V1p2ObjectKey,
  type V1p2Service,
} from '@oneroster/oneroster-catalogue';

/*
 * The component schemas of each 1.2 service's OpenAPI document, derived from the 1.2
 * catalogue (never written by hand): one schema per class with the fields this platform
 * serves (on a class read from 1.1 storage the catalogue's `new` fields are left out: nothing
 * stores them yet; the classes new in 1.2 — score scales, assessment line items and results —
 * are stored as 1.2, every field), the nested objects they use, the GUIDRef, the collection
 * and single envelopes (`…SetDType`, `Single…DType`, as the 1.2 documents name them), the
 * POST answer (`GUIDPairSetDType`) where the service has POSTs, and the 1.2 status payload.
 */

export const V1P2_STATUS_SCHEMA = 'imsx_StatusInfoDType';
const GUID_REF = 'GUIDRefDType';
export const V1P2_GUID_PAIRS_SCHEMA = 'GUIDPairSetDType';
const GUID_PAIR = 'GUIDPairDType';

const base = (cls: V1p2ClassDef) => cls.schema.replace(/DType$/, '');

export const envelopeSchemaName = (
  cls: V1p2ClassDef,
  collection: boolean,
): string => (collection ? `${base(cls)}SetDType` : `Single${base(cls)}DType`);

/**
 * Nested objects to describe, each with whether it is stored whole (reached from a class
 * stored as 1.2) or read from 1.1 (only its fields with a 1.1 source).
 */
type Objects = Map<V1p2ObjectKey, boolean>;

const served = (f: V1p2FieldDef, whole: boolean) =>
  f.rest !== false && (whole || f.from.kind !== 'new');

/** A vocabulary the schema widens with a pattern (LearningObjectiveSetDType.source). */
const PATTERN_NOTE = /^or a string matching (.+)$/;

function fieldSchema(
  f: V1p2FieldDef,
  objects: Objects,
  whole: boolean,
): SchemaObject {
  let one: SchemaObject;
  switch (f.type) {
    case 'date':
      one = { type: 'string', format: 'date' };
      break;
    case 'dateTime':
      one = { type: 'string', format: 'date-time' };
      break;
    case 'enum': {
      const pattern =
        f.from.kind === 'new' ? PATTERN_NOTE.exec(f.from.note ?? '') : null;
      if (pattern) {
        one = {
          type: 'string',
          description: `One of ${(f.values ?? []).join(', ')}, or a string matching ${pattern[1]}`,
        };
        break;
      }
      one = f.extensible
        ? {
            type: 'string',
            description: `One of ${(f.values ?? []).join(', ')}, or an extension matching (ext:)[a-zA-Z0-9.-_]+`,
          }
        : { type: 'string', enum: [...(f.values ?? [])] };
      break;
    }
    case 'stringBoolean':
      one = { type: 'string', enum: ['true', 'false'] };
      break;
    case 'guidRef':
      one = {
        allOf: [{ $ref: `#/components/schemas/${GUID_REF}` }],
        description: `GUIDRef to the ${f.ref}`,
      };
      break;
    case 'number':
      one = { type: 'number' };
      break;
    case 'uri':
      one = { type: 'string', format: 'uri' };
      break;
    case 'object':
      if (!f.of)
        throw new Error(`${f.name}: an object field without its object`);
      objects.set(f.of, whole || (objects.get(f.of) ?? false));
      one = { $ref: `#/components/schemas/${V1P2_OBJECTS[f.of].schema}` };
      break;
    case 'metadata':
      one = { type: 'object', additionalProperties: true };
      break;
    default:
      one = { type: 'string' };
  }
  return f.list
    ? { type: 'array', items: one, ...(f.nonEmpty ? { minItems: 1 } : {}) }
    : one;
}

function objectSchema(
  fields: readonly V1p2FieldDef[],
  objects: Objects,
  whole: boolean,
): SchemaObject {
  const shown = fields.filter((f) => served(f, whole));
  const required = shown.filter((f) => f.required).map((f) => f.name);
  return {
    type: 'object',
    properties: Object.fromEntries(
      shown.map((f) => [f.name, fieldSchema(f, objects, whole)]),
    ),
    ...(required.length ? { required } : {}),
    additionalProperties: false,
  };
}

/** Every component schema the rostering document's operations refer to. */
export function v1p2RosteringSchemas(): Record<string, SchemaObject> {
  return v1p2ServiceSchemas('rostering');
}

/** Every component schema a 1.2 service's document refers to. */
export function v1p2ServiceSchemas(
  service: V1p2Service,
): Record<string, SchemaObject> {
  const out: Record<string, SchemaObject> = {};
  const objects: Objects = new Map();
  for (const cls of v1p2ClassesOf(service)) {
    // A class new in 1.2 has no 1.1 source: it is stored as 1.2, every field.
    out[cls.schema] = objectSchema(cls.fields, objects, cls.from === null);
    out[envelopeSchemaName(cls, true)] = {
      type: 'object',
      properties: {
        [cls.collection]: {
          type: 'array',
          items: { $ref: `#/components/schemas/${cls.schema}` },
        },
      },
      additionalProperties: false,
    };
    out[envelopeSchemaName(cls, false)] = {
      type: 'object',
      properties: {
        [cls.single]: { $ref: `#/components/schemas/${cls.schema}` },
      },
      required: [cls.single],
      additionalProperties: false,
    };
  }
  // Nested objects, and the nested objects they use in turn.
  const done = new Set<V1p2ObjectKey>();
  for (
    let more = [...objects.keys()];
    more.length;
    more = [...objects.keys()].filter((k) => !done.has(k))
  )
    for (const key of more) {
      done.add(key);
      out[V1P2_OBJECTS[key].schema] = objectSchema(
        V1P2_OBJECTS[key].fields,
        objects,
        objects.get(key) ?? false,
      );
    }
  out[GUID_REF] = {
    type: 'object',
    properties: {
      href: {
        type: 'string',
        format: 'uri',
        description: `The object's URL under its service's 1.2 base path, e.g. ${V1P2_BASE_PATHS.rostering}/${v1p2ClassDef('org').collection}/{sourcedId}`,
      },
      sourcedId: { type: 'string' },
      type: { type: 'string' },
    },
    required: ['href', 'sourcedId', 'type'],
    additionalProperties: false,
  };
  out[V1P2_STATUS_SCHEMA] = {
    type: 'object',
    description:
      'The OneRoster 1.2 status payload of an error: codeMajor, severity, description and codeMinor',
    properties: {
      imsx_codeMajor: {
        type: 'string',
        enum: ['success', 'processing', 'failure', 'unsupported'],
      },
      imsx_severity: { type: 'string', enum: ['status', 'warning', 'error'] },
      imsx_description: { type: 'string' },
      imsx_CodeMinor: {
        type: 'object',
        properties: {
          imsx_codeMinorField: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              properties: {
                imsx_codeMinorFieldName: { type: 'string' },
                imsx_codeMinorFieldValue: {
                  type: 'string',
                  enum: [
                    'fullsuccess',
                    'invalid_filter_field',
                    'invalid_selection_field',
                    'invaliddata',
                    'unauthorisedrequest',
                    'forbidden',
                    'server_busy',
                    'unknownobject',
                    'internal_server_error',
                  ],
                },
              },
              required: ['imsx_codeMinorFieldName', 'imsx_codeMinorFieldValue'],
              additionalProperties: false,
            },
          },
        },
        required: ['imsx_codeMinorField'],
        additionalProperties: false,
      },
    },
    required: ['imsx_codeMajor', 'imsx_severity'],
    additionalProperties: false,
  };
  if (
    V1P2_ROUTES.some(
      (r) => r.service === service && r.response === 'sourcedIdPairs',
    )
  ) {
    out[GUID_PAIR] = {
      type: 'object',
      description:
        'The sourcedId the request supplied for an object and the one the service allocated to it',
      properties: {
        suppliedSourcedId: { type: 'string' },
        allocatedSourcedId: { type: 'string' },
      },
      required: ['suppliedSourcedId', 'allocatedSourcedId'],
      additionalProperties: false,
    };
    out[V1P2_GUID_PAIRS_SCHEMA] = {
      type: 'object',
      properties: {
        sourcedIdPairs: {
          type: 'array',
          items: { $ref: `#/components/schemas/${GUID_PAIR}` },
        },
      },
      required: ['sourcedIdPairs'],
      additionalProperties: false,
    };
  }
  return out;
}
