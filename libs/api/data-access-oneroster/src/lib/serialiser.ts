import {
  dateText,
  decodeBoolean,
  decodeJson,
  instantText,
} from '@oneroster/database';
import type { FieldDef } from './resources';

/**
 * The one way a stored row becomes OneRoster JSON: for reads, for the gradebook's write
 * responses and for the objects before and after in the gradebook change log. Rules:
 * - fields are written in the order of the resource definition, and only those asked for;
 * - a null column is left out (a field the 1.1 JSON requires is written empty instead:
 *   '' or []); so is an empty reference;
 * - a GUIDRef is `{href, sourcedId, type}`, its href the collection's URL under the base
 *   URL with the sourcedId URL-encoded;
 * - date-times are ISO 8601 UTC with milliseconds, dates `YYYY-MM-DD`, both decoded by the
 *   database codec whichever engine read them;
 * - booleans are JSON `true`/`false`, or the strings `"true"`/`"false"` where the caller's
 *   wire option asks for them.
 */

/** GUIDRef lists of a page, by field name, then by `school\u0000sourcedId` of the owner. */
export type RowLists = ReadonlyMap<string, ReadonlyMap<string, string[]>>;

export type BooleanFormat = 'json' | 'string';

const NO_LISTS: RowLists = new Map();
const SAFE_PATH_SEGMENT = /^[A-Za-z0-9._~-]+$/;

export class OneRosterSerialiser {
  constructor(
    /** Absolute base URL of the OneRoster API, for GUIDRef hrefs. */
    private readonly baseUrl: string,
  ) {}

  ref(target: NonNullable<FieldDef['ref']>, sourcedId: string) {
    // Most sourcedIds are URL-safe already (GUIDs); encode only the others.
    const path = SAFE_PATH_SEGMENT.test(sourcedId)
      ? sourcedId
      : encodeURIComponent(sourcedId);
    return {
      href: `${this.baseUrl}/${target.collection}/${path}`,
      sourcedId,
      type: target.type,
    };
  }

  /**
   * The OneRoster object of a row keyed by column names, with values as either engine's
   * driver returns them (raw text, or decoded by an entity mapping).
   */
  object(
    fields: readonly FieldDef[],
    row: Record<string, unknown>,
    booleans: BooleanFormat = 'json',
    lists: RowLists = NO_LISTS,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const stringBooleans = booleans === 'string';
    for (const f of fields) {
      const raw = f.column ? row[f.column] : undefined;
      switch (f.kind) {
        case 'refs': {
          const ids =
            lists
              .get(f.name)
              ?.get(`${row['school_id']}\u0000${row['sourced_id']}`) ?? [];
          if (ids.length || f.alwaysEmit)
            out[f.name] = ids.map((id) => this.ref(f.ref!, id));
          break;
        }
        case 'ref':
          if (raw !== null && raw !== undefined && raw !== '')
            out[f.name] = this.ref(f.ref!, String(raw));
          break;
        case 'datetime':
          if (raw !== null && raw !== undefined) out[f.name] = instantText(raw);
          break;
        case 'date':
          if (raw !== null && raw !== undefined) out[f.name] = dateText(raw);
          break;
        case 'boolean':
          if (raw !== null && raw !== undefined) {
            const value = decodeBoolean(raw);
            out[f.name] = stringBooleans ? String(value) : value;
          }
          break;
        case 'number':
          if (raw !== null && raw !== undefined) out[f.name] = Number(raw);
          break;
        case 'strings':
        case 'userIds':
        case 'metadata':
          if (raw !== null && raw !== undefined && raw !== '')
            out[f.name] = decodeJson(raw);
          break;
        default:
          if (raw !== null && raw !== undefined) out[f.name] = String(raw);
          else if (f.alwaysEmit) out[f.name] = '';
      }
    }
    return out;
  }
}
