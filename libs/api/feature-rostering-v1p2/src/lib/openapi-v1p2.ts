/** A JSON Schema object of the document (OpenAPI 3.0 dialect). */
type SchemaObject = Record<string, unknown>;
import {
  V1P2_OBJECTS,
  V1P2_BASE_PATHS,
  v1p2ClassDef,
  v1p2ClassesOf,
  type V1p2ClassDef,
  type V1p2FieldDef,
  type V1p2ObjectKey,
} from '@oneroster/oneroster-catalogue';

/*
 * The component schemas of the 1.2 rostering OpenAPI document, derived from the 1.2
 * catalogue (never written by hand): one schema per class with the fields this platform
 * serves (the catalogue's `new` fields are left out: nothing stores them yet), the nested
 * objects they use, the GUIDRef, the collection and single envelopes (`…SetDType`,
 * `Single…DType`, as the 1.2 documents name them) and the 1.2 status payload.
 */

export const V1P2_STATUS_SCHEMA = 'imsx_StatusInfoDType';
const GUID_REF = 'GUIDRefDType';

const base = (cls: V1p2ClassDef) => cls.schema.replace(/DType$/, '');

export const envelopeSchemaName = (
  cls: V1p2ClassDef,
  collection: boolean,
): string => (collection ? `${base(cls)}SetDType` : `Single${base(cls)}DType`);

const served = (f: V1p2FieldDef) => f.rest !== false && f.from.kind !== 'new';

function fieldSchema(
  f: V1p2FieldDef,
  objects: Set<V1p2ObjectKey>,
): SchemaObject {
  let one: SchemaObject;
  switch (f.type) {
    case 'date':
      one = { type: 'string', format: 'date' };
      break;
    case 'dateTime':
      one = { type: 'string', format: 'date-time' };
      break;
    case 'enum':
      one = f.extensible
        ? {
            type: 'string',
            description: `One of ${(f.values ?? []).join(', ')}, or an extension matching (ext:)[a-zA-Z0-9.-_]+`,
          }
        : { type: 'string', enum: [...(f.values ?? [])] };
      break;
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
      objects.add(f.of);
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
  objects: Set<V1p2ObjectKey>,
): SchemaObject {
  const shown = fields.filter(served);
  const required = shown.filter((f) => f.required).map((f) => f.name);
  return {
    type: 'object',
    properties: Object.fromEntries(
      shown.map((f) => [f.name, fieldSchema(f, objects)]),
    ),
    ...(required.length ? { required } : {}),
    additionalProperties: false,
  };
}

/** Every component schema the rostering document's operations refer to. */
export function v1p2RosteringSchemas(): Record<string, SchemaObject> {
  const out: Record<string, SchemaObject> = {};
  const objects = new Set<V1p2ObjectKey>();
  for (const cls of v1p2ClassesOf('rostering')) {
    out[cls.schema] = objectSchema(cls.fields, objects);
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
    let more = [...objects];
    more.length;
    more = [...objects].filter((k) => !done.has(k))
  )
    for (const key of more) {
      done.add(key);
      out[V1P2_OBJECTS[key].schema] = objectSchema(
        V1P2_OBJECTS[key].fields,
        objects,
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
  return out;
}
