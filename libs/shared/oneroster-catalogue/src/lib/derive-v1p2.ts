import { CATALOGUE } from './catalogue';
import { CATALOGUE_V1P2 } from './catalogue-v1p2';
import {
  V1P2_CLASS_KEYS,
  type ClassDef,
  type ClassKey,
  type FieldDef,
  type V1p2ClassDef,
  type V1p2ClassKey,
  type V1p2FieldDef,
  type V1p2Service,
} from './model';

/*
 * Projections of the 1.2 catalogue for the code that will serve it: which fields a 1.2
 * object can carry and which of them are served today, and where each served value is stored
 * (through its 1.1 field: entity property and column, or link table).
 */

const OLD: Record<ClassKey, ClassDef> = CATALOGUE;

/** Every 1.2 class, in V1P2_CLASS_KEYS order. */
export const V1P2_CLASSES: readonly V1p2ClassDef[] = V1P2_CLASS_KEYS.map(
  (k) => CATALOGUE_V1P2[k],
);

export const v1p2ClassDef = (key: V1p2ClassKey): V1p2ClassDef =>
  CATALOGUE_V1P2[key];

/** The classes of one 1.2 service. */
export const v1p2ClassesOf = (service: V1p2Service): readonly V1p2ClassDef[] =>
  V1P2_CLASSES.filter((c) => c.service === service);

/**
 * Every field name of the class's 1.2 schema: a `fields` or `filter` name outside these is an
 * error in 1.2 (fields the platform does not store yet are valid names, they select nothing).
 */
export const v1p2FieldNames = (cls: V1p2ClassDef): readonly string[] =>
  cls.fields.filter((f) => f.rest !== false).map((f) => f.name);

/** The fields a 1.2 object of the class carries today: read from 1.1 data and published. */
export const v1p2ServedFields = (cls: V1p2ClassDef): readonly V1p2FieldDef[] =>
  cls.fields.filter((f) => f.rest !== false && f.from.kind !== 'new');

/**
 * The 1.1 field a 1.2 field is read from as is (its store gives the column or link table);
 * undefined for derived and new fields.
 */
export function v1p1SourceField(
  cls: V1p2ClassDef,
  field: V1p2FieldDef,
): FieldDef | undefined {
  if (!cls.from || field.from.kind !== 'same') return undefined;
  const name = field.from.field;
  return OLD[cls.from].fields.find((f) => f.name === name);
}
