import type { GuidType, OneRosterScope } from '@oneroster/contracts';

/*
 * The shape of the catalogue: what is known about one OneRoster class and one of its
 * fields, independent of any projection. The REST JSON, the CSV binding and the database
 * are projections of these definitions (OneRoster 1.2 will be another one).
 */

/** Keys of the catalogue's classes (the GUIDRef type where the class has one). */
export const CLASS_KEYS = [
  'org',
  'academicSession',
  'course',
  'class',
  'user',
  'enrollment',
  'demographics',
  'category',
  'lineItem',
  'result',
  'resource',
  'classResource',
  'courseResource',
] as const;
export type ClassKey = (typeof CLASS_KEYS)[number];

/** The 13 data files of the 1.1 CSV binding (digest §8.4), in manifest order. */
export const CSV_FILE_NAMES = [
  'academicSessions',
  'categories',
  'classes',
  'classResources',
  'courses',
  'courseResources',
  'demographics',
  'enrollments',
  'lineItems',
  'orgs',
  'resources',
  'results',
  'users',
] as const;
export type CsvFileName = (typeof CSV_FILE_NAMES)[number];

/**
 * Value types of the 1.1 information model (digest §5 "Types"). A `list` flag on the
 * field makes any of them an array (String[], GUIDRef[], RoleType[], UserId[]).
 */
export type FieldType =
  | 'string'
  /** `YYYY` (academicSessions.schoolYear). */
  | 'year'
  /** `YYYY-MM-DD`. */
  | 'date'
  /** W3C ISO 8601 with UTC; in CSV a Date is accepted too (lineItems, digest §5.9). */
  | 'dateTime'
  /** One value of `values`, a vocabulary of @oneroster/contracts (digest §5.12). */
  | 'enum'
  /** A GUIDRef (§5.1) to the class named by `ref`; in CSV a sourcedId column. */
  | 'guidRef'
  | 'boolean'
  /** Float. */
  | 'number'
  /** UserId `{type, identifier}` (§5.8); in CSV `{type:identifier}`. */
  | 'userId'
  /**
   * The free-form extension bag (§5.0); in CSV the `metadata.<name>` columns (§8.1). Also
   * a JSON value stored for 1.2 only and kept whole (a line item's or result's
   * learningObjectiveSet): read as JSON, selectable, never filterable or sortable.
   */
  | 'metadata';

/** How the CSV binding carries a field: its column and whether the column must be filled. */
export interface CsvColumnDef {
  readonly column: string;
  /** `(Y)` in the 1.1 header table (digest §8.4). */
  readonly required: boolean;
}

/** A column of the class's own table (entity property and SQL column). */
export interface ColumnStore {
  readonly kind: 'column';
  readonly property: string;
  readonly column: string;
}

/** A GUIDRef list kept in a link table, one row per element, in `position` order. */
export interface LinkStore {
  readonly kind: 'link';
  readonly table: string;
  /** Class name of the link table's entity in @oneroster/entities. */
  readonly entity: string;
  /** Column holding the owner's sourcedId, and its entity property. */
  readonly owner: string;
  readonly ownerProperty: string;
  /** Column holding the element's sourcedId, and its entity property. */
  readonly value: string;
  readonly valueProperty: string;
  readonly order: 'position';
}

/**
 * A GUIDRef list not stored on the owner: derived from the rows of another table that
 * point at it (org/session children from parent links, class/course resources from the
 * classResources/courseResources records). Only active rows count.
 */
export interface ReverseStore {
  readonly kind: 'reverse';
  readonly table: string;
  readonly owner: string;
  readonly value: string;
  readonly activeOnly: true;
}

export type Store = ColumnStore | LinkStore | ReverseStore;

/** An example value of a field, as the API documentation shows it. */
export type FieldExample =
  | string
  | number
  | boolean
  | readonly string[]
  | { readonly [key: string]: string };

export interface FieldDef {
  /** The wire name in JSON (and the information model's name for CSV-only fields). */
  readonly name: string;
  /** What the API documentation says of the field (its OpenAPI description). */
  readonly doc?: string;
  /** An example value for the API documentation (none for GUIDRefs and UserIds). */
  readonly example?: FieldExample;
  readonly type: FieldType;
  readonly list?: true;
  /** A list that must hold at least one element (class.terms, user.orgs). */
  readonly nonEmpty?: true;
  /** The vocabulary of an `enum` field (of every element, for a list). */
  readonly values?: readonly string[];
  /** The class a `guidRef` field points to. */
  readonly ref?: ClassKey;
  /** Required in the REST JSON as this API publishes it (the OpenAPI `required` list). */
  readonly required: boolean;
  /**
   * Required in the REST JSON although the store may hold nothing for it (a nullable column,
   * an empty list): the API emits it anyway, as '' or [] (§5).
   */
  readonly emitEmpty?: true;
  /** `false`: never published by the REST API (kept for CSV round trips only). */
  readonly rest?: false;
  /**
   * Stored for OneRoster 1.2 only (a 1.2 field 1.1 lacks, read by the 1.2 catalogue as
   * `same`): never in the 1.1 JSON (`rest: false`) nor the 1.1 CSV file (no `csv`); the
   * 1.2 REST binding reads it, and the 1.1 set a 1.2 CSV set travels as carries it as an
   * extra column `v1p2.<entity property>` (`v1p2StoredFields`).
   */
  readonly v1p2?: true;
  /** Absent: the CSV file has no column for it. */
  readonly csv?: CsvColumnDef;
  readonly store: Store;
}

/** The REST projection of a class: its collection under the base path and its schema. */
export interface RestDef {
  /** Collection path under /ims/oneroster/v1p1, also the envelope key (digest §2). */
  readonly collection: string;
  /** GUIDRef type used for references to it (§5.1). */
  readonly guidType: GuidType;
  /** Name of its schema in the OpenAPI document (apps/api/openapi.json). */
  readonly schema: string;
}

/**
 * Which OAuth scopes guard a class (digest §6.3), as the routes enforce them: `read` for
 * its own collection and single GETs, `relationships` for the routes that list it under
 * another object, `createPut`/`delete` for gradebook writes. Every field of a class is
 * guarded by its class's scopes (also where it appears as a GUIDRef list of another class).
 */
export interface Scopes {
  readonly read: readonly OneRosterScope[];
  readonly relationships?: readonly OneRosterScope[];
  readonly createPut?: readonly OneRosterScope[];
  readonly delete?: readonly OneRosterScope[];
}

export interface ClassDef {
  readonly key: ClassKey;
  /** Section of the digest (/spec/oneroster-1.1.md) that defines the class. */
  readonly spec: string;
  /** Class name of its TypeORM entity in @oneroster/entities. */
  readonly entity: string;
  readonly table: string;
  /** `null`: not a REST resource of its own (the class/course resource links). */
  readonly rest: RestDef | null;
  /** The CSV file and its columns in header order, as field names. */
  readonly csv: {
    readonly file: CsvFileName;
    readonly order: readonly string[];
  } | null;
  readonly scopes: Scopes;
  /** Every field, in the order of the information model (and of the JSON the API serves). */
  readonly fields: readonly FieldDef[];
}

/*
 * OneRoster 1.2: a second projection of the same classes. Its definitions live in
 * catalogue-v1p2.ts; each 1.2 field says which 1.1 catalogue field (or fields) it is read
 * from, or that it is new (nothing stores it yet).
 */

/** The three services of the 1.2 REST binding, each with its own base path. */
export const V1P2_SERVICES = ['rostering', 'gradebook', 'resources'] as const;
export type V1p2Service = (typeof V1P2_SERVICES)[number];

/** Base path of each 1.2 service (the `basePath` enum of each OpenAPI document's server). */
export const V1P2_BASE_PATHS: Readonly<Record<V1p2Service, string>> = {
  rostering: '/ims/oneroster/rostering/v1p2',
  gradebook: '/ims/oneroster/gradebook/v1p2',
  resources: '/ims/oneroster/resources/v1p2',
};

/** Keys of the 1.2 classes; each is also the `type` of a GUIDRef to it (…GUIDRefDType). */
export const V1P2_CLASS_KEYS = [
  'org',
  'academicSession',
  'course',
  'class',
  'user',
  'enrollment',
  'demographics',
  'category',
  'lineItem',
  'result',
  'scoreScale',
  'assessmentLineItem',
  'assessmentResult',
  'resource',
] as const;
export type V1p2ClassKey = (typeof V1P2_CLASS_KEYS)[number];

/**
 * Objects that 1.2 nests inside a class without a sourcedId of their own (RoleDType,
 * UserProfileDType, CredentialDType, UserIdDType, ScoreScaleValueDType, the learning
 * objective sets). Fields of type `object` name one of these.
 */
export const V1P2_OBJECT_KEYS = [
  'role',
  'userProfile',
  'credential',
  'userId',
  'scoreScaleValue',
  'learningObjectiveSet',
  'learningObjectiveScoreSet',
  'learningObjectiveResult',
] as const;
export type V1p2ObjectKey = (typeof V1P2_OBJECT_KEYS)[number];

/**
 * Value types of the 1.2 JSON binding. Unlike 1.1, booleans travel as the strings
 * "true"/"false" (`stringBoolean`, the OpenAPI's `enum: [true, false]` on a string), and a
 * nested object is described by an object definition (`object` with `of`).
 */
export type V1p2FieldType =
  | 'string'
  /** `YYYY-MM-DD`. */
  | 'date'
  /** ISO 8601 date-time. */
  | 'dateTime'
  /** One value of `values`; with `extensible`, or a string matching V1P2_EXTENSION_VALUE (contracts). */
  | 'enum'
  /** The string "true" or "false". */
  | 'stringBoolean'
  /** A GUIDRef `{href, sourcedId, type}` to the class named by `ref`. */
  | 'guidRef'
  /** Float. */
  | 'number'
  /** A URI (userProfile's profileId, role.userProfile). */
  | 'uri'
  /** A nested object, described by `of`. */
  | 'object'
  /** The free-form extension bag (MetadataDType). */
  | 'metadata';

/**
 * Where a 1.2 field's value comes from in the 1.1 catalogue (and where 1.2 input goes).
 * - `same`: the 1.1 field of the mapped class, value carried as is (GUIDRefs re-pointed at the
 *   1.2 base path; booleans and vocabularies converted by the mapping functions);
 * - `derived`: computed from the named 1.1 fields (of this class or, `via` a GUIDRef, of the
 *   class it points to); `note` says how and what is lost on the way back;
 * - `new`: 1.2 only, nothing stores it yet; absent from what is served, dropped on input.
 */
export type V1p2Source =
  | { readonly kind: 'same'; readonly field: string }
  | {
      readonly kind: 'derived';
      readonly fields: readonly string[];
      readonly via?: string;
      readonly note: string;
    }
  | { readonly kind: 'new'; readonly note?: string };

export interface V1p2FieldDef {
  /** The JSON property name of the 1.2 binding. */
  readonly name: string;
  readonly type: V1p2FieldType;
  readonly list?: true;
  /** A list with `minItems: 1` (class.terms, user.roles, scoreScale.scoreScaleValue). */
  readonly nonEmpty?: true;
  readonly values?: readonly string[];
  /** The vocabulary also accepts `ext:` values (V1P2_EXTENSION_VALUE in contracts). */
  readonly extensible?: true;
  readonly ref?: V1p2ClassKey;
  /** The nested object of an `object` field. */
  readonly of?: V1p2ObjectKey;
  /** In the OpenAPI document's `required` list for the class. */
  readonly required: boolean;
  /** `false`: in the 1.2 schema but never served by this platform (the reason is in `from`). */
  readonly rest?: false;
  readonly from: V1p2Source;
  /**
   * A field of a class stored as 1.2 (`table` on the class): the SQL column of that table
   * holding it (a GUIDRef: the target's sourcedId; a nested list: JSON). The base fields
   * (sourcedId, status, dateLastModified, metadata) are every table's own columns.
   */
  readonly column?: string;
}

export interface V1p2ObjectDef {
  readonly key: V1p2ObjectKey;
  /** Its schema in the 1.2 OpenAPI document. */
  readonly schema: string;
  readonly fields: readonly V1p2FieldDef[];
}

export interface V1p2ClassDef {
  readonly key: V1p2ClassKey;
  /** Where the 1.2 documents define it (OpenAPI schema, information model). */
  readonly spec: string;
  readonly service: V1p2Service;
  /** Collection path under the service's base path, also the envelope key of a collection. */
  readonly collection: string;
  /** Envelope key of a single object. */
  readonly single: string;
  /** Its schema in the service's OpenAPI document. */
  readonly schema: string;
  /** The 1.1 catalogue class it is a projection of; `null`: new in 1.2, no storage yet. */
  readonly from: ClassKey | null;
  /**
   * A class new in 1.2 stored as 1.2: its table in @oneroster/entities (one row per object
   * and school, `school_id` and the base columns as every OneRoster table); its fields name
   * their columns. Absent: read from the 1.1 tables through `from`, or not stored.
   */
  readonly table?: string;
  /**
   * 1.1 fields the 1.2 class does not carry, each with the reason (so that every 1.1 REST
   * field of the mapped class is accounted for).
   */
  readonly dropped?: Readonly<Record<string, string>>;
  readonly fields: readonly V1p2FieldDef[];
}
