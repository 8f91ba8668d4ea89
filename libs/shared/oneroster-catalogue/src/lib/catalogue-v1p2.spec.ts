import { V1P2_GUID_TYPES, isV1p2ExtensionValue } from '@oneroster/contracts';
import { CATALOGUE } from './catalogue';
import { V1P2_OBJECTS, CATALOGUE_V1P2 } from './catalogue-v1p2';
import { restFields } from './derive';
import {
  V1P2_CLASS_KEYS,
  V1P2_OBJECT_KEYS,
  type ClassDef,
  type ClassKey,
  type V1p2ClassDef,
  type V1p2FieldDef,
} from './model';

const CLASSES: readonly V1p2ClassDef[] = V1P2_CLASS_KEYS.map(
  (k) => CATALOGUE_V1P2[k],
);
const OLD: Record<ClassKey, ClassDef> = CATALOGUE;
const allFields = (): Array<[string, V1p2FieldDef]> => [
  ...CLASSES.flatMap((c) =>
    c.fields.map((x) => [c.key, x] as [string, V1p2FieldDef]),
  ),
  ...V1P2_OBJECT_KEYS.flatMap((k) =>
    V1P2_OBJECTS[k].fields.map((x) => [k, x] as [string, V1p2FieldDef]),
  ),
];

describe('OneRoster 1.2 catalogue', () => {
  it('has one definition per 1.2 class key and per nested object key, under its own key', () => {
    expect(Object.keys(CATALOGUE_V1P2).sort()).toEqual(
      [...V1P2_CLASS_KEYS].sort(),
    );
    for (const k of V1P2_CLASS_KEYS) expect(CATALOGUE_V1P2[k].key).toBe(k);
    expect(Object.keys(V1P2_OBJECTS).sort()).toEqual(
      [...V1P2_OBJECT_KEYS].sort(),
    );
    for (const k of V1P2_OBJECT_KEYS) expect(V1P2_OBJECTS[k].key).toBe(k);
  });

  it('points GUIDRefs only at classes that have a 1.2 GUIDRef type, and keeps collections distinct', () => {
    const targets = new Set(
      allFields().flatMap(([, x]) => (x.ref ? [x.ref] : [])),
    );
    for (const t of targets)
      expect(V1P2_GUID_TYPES as readonly string[]).toContain(t);
    const seen = new Set(CLASSES.map((c) => `${c.service}/${c.collection}`));
    expect(seen.size).toBe(CLASSES.length);
  });

  it('names each field once per class, with the base fields first', () => {
    const problems: string[] = [];
    for (const c of CLASSES) {
      const names = c.fields.map((x) => x.name);
      if (new Set(names).size !== names.length)
        problems.push(`${c.key}: duplicate field`);
      if (
        names.slice(0, 4).join() !==
        'sourcedId,status,dateLastModified,metadata'
      )
        problems.push(`${c.key}: base fields not first`);
    }
    expect(problems).toEqual([]);
  });

  it('types every field consistently (vocabularies, GUIDRef targets, nested objects)', () => {
    const problems: string[] = [];
    for (const [owner, x] of allFields()) {
      const at = `${owner}.${x.name}`;
      if (
        (x.type === 'enum' || x.type === 'stringBoolean') &&
        !x.values?.length
      )
        problems.push(`${at}: no vocabulary`);
      if (x.type !== 'enum' && x.type !== 'stringBoolean' && x.values)
        problems.push(`${at}: vocabulary on a ${x.type}`);
      if (x.extensible && x.type !== 'enum')
        problems.push(`${at}: extensible non-enum`);
      if (x.values?.some((v) => isV1p2ExtensionValue(v)))
        problems.push(`${at}: an ext: value listed`);
      if ((x.type === 'guidRef') !== !!x.ref)
        problems.push(`${at}: ref and type disagree`);
      if (x.ref && !(V1P2_CLASS_KEYS as readonly string[]).includes(x.ref))
        problems.push(`${at}: unknown ref ${x.ref}`);
      if ((x.type === 'object') !== !!x.of)
        problems.push(`${at}: of and type disagree`);
      if (x.nonEmpty && !x.list) problems.push(`${at}: nonEmpty on a scalar`);
    }
    expect(problems).toEqual([]);
  });

  it('reads every "same" field from an existing 1.1 field of the mapped class, of a compatible type', () => {
    const problems: string[] = [];
    for (const c of CLASSES) {
      if (!c.from) {
        for (const x of c.fields)
          if (x.from.kind !== 'new')
            problems.push(`${c.key}.${x.name}: new class, old source`);
        continue;
      }
      const old = OLD[c.from];
      for (const x of c.fields) {
        if (x.from.kind === 'new') continue;
        const names = x.from.kind === 'same' ? [x.from.field] : x.from.fields;
        const holder =
          x.from.kind === 'derived' && x.from.via
            ? (() => {
                const via = old.fields.find(
                  (o) => o.name === (x.from as { via: string }).via,
                );
                return via?.ref ? OLD[via.ref] : undefined;
              })()
            : old;
        if (!holder) {
          problems.push(
            `${c.key}.${x.name}: via is not a GUIDRef of ${c.from}`,
          );
          continue;
        }
        for (const n of names) {
          const o = holder.fields.find((y) => y.name === n);
          if (!o) {
            problems.push(`${c.key}.${x.name}: ${holder.key} has no ${n}`);
            continue;
          }
          if (x.from.kind !== 'same') continue;
          if (x.type === 'stringBoolean' && o.type !== 'boolean')
            problems.push(
              `${c.key}.${x.name}: string boolean from a ${o.type}`,
            );
          if (x.type === 'guidRef' && (o.type !== 'guidRef' || o.ref !== x.ref))
            problems.push(`${c.key}.${x.name}: GUIDRef target differs`);
          // A 1.1 JSON value kept whole (type metadata) may hold a 1.2 nested list.
          const whole =
            o.type === 'metadata' && x.type === 'object' && !!x.list;
          if (!!x.list !== !!o.list && !whole)
            problems.push(`${c.key}.${x.name}: list and scalar`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('serves every field 1.2 requires whenever 1.1 has the object (no required field read from an optional one)', () => {
    const problems: string[] = [];
    for (const c of CLASSES) {
      if (!c.from) continue;
      const old = OLD[c.from];
      for (const x of c.fields) {
        if (!x.required || x.from.kind !== 'same') continue;
        const o = old.fields.find(
          (y) => y.name === (x.from as { field: string }).field,
        );
        if (!o?.required) problems.push(`${c.key}.${x.name}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('accounts for every 1.1 REST field of a mapped class: read by a 1.2 field or dropped with a reason', () => {
    const problems: string[] = [];
    for (const c of CLASSES) {
      if (!c.from) continue;
      const read = new Set<string>();
      for (const x of c.fields) {
        if (x.from.kind === 'same') read.add(x.from.field);
        if (x.from.kind === 'derived' && !x.from.via)
          x.from.fields.forEach((n) => read.add(n));
      }
      for (const o of restFields(OLD[c.from]))
        if (!read.has(o.name) && !c.dropped?.[o.name])
          problems.push(`${c.key}: 1.1 ${o.name} unaccounted for`);
      for (const n of Object.keys(c.dropped ?? {}))
        if (!OLD[c.from].fields.some((o) => o.name === n))
          problems.push(`${c.key}: dropped ${n} is not a 1.1 field`);
    }
    expect(problems).toEqual([]);
  });

  it('never serves a secret', () => {
    const served = allFields()
      .filter(([, x]) => x.rest !== false)
      .map(([o, x]) => `${o}.${x.name}`);
    expect(served.filter((n) => /password/i.test(n))).toEqual([]);
  });
});
