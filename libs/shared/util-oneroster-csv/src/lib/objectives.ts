import type { CsvValue } from './rows';

/*
 * The learning objective link files of the 1.2.1 CSV binding (lineItemLearningObjectiveIds,
 * resultLearningObjectiveIds): one objective per row, gathered into the 1.2 JSON
 * `learningObjectiveSet` of the line item or result the row names (kept whole as JSON in
 * its row's `learning_objective_set`):
 * - a line item's: LearningObjectiveSetDType[], `{source, learningObjectiveIds}`;
 * - a result's: LearningObjectiveScoreSetDType[], `{source, learningObjectiveResults}`,
 *   each result `{learningObjectiveId, score?, textScore?}`;
 * one element per `source`, in the order of their first row, its objectives in row order.
 * An objective is one (source, learningObjectiveId) of one object: a second row naming it
 * again is collapsed into the first (the caller warns).
 */

export type ObjectiveFile =
  'lineItemLearningObjectiveIds' | 'resultLearningObjectiveIds';

/** One row of a learning objective link file, as the link it describes. */
export interface ObjectiveLink {
  source: string;
  id: string;
  score?: number;
  textScore?: string;
}

/** LearningObjectiveSetDType.source: `case`, `unknown` or a `/name` (the 1.2 schema). */
const SOURCE = /^(case|unknown|\/(?!case$)(?!unknown$)[a-z0-9]+)$/;
export const isObjectiveSource = (v: string): boolean => SOURCE.test(v);

/** The object the file's rows link, and the key of its objectives in an element. */
export const OBJECTIVE_FILES = {
  lineItemLearningObjectiveIds: {
    owner: 'lineItemSourcedId',
    list: 'learningObjectiveIds',
  },
  resultLearningObjectiveIds: {
    owner: 'resultSourcedId',
    list: 'learningObjectiveResults',
  },
} as const satisfies Record<ObjectiveFile, { owner: string; list: string }>;

export const isObjectiveFile = (f: string): f is ObjectiveFile =>
  f in OBJECTIVE_FILES;

/** A row's link (its values as the 1.2 binding read them). */
export function objectiveLinkOf(
  values: Readonly<Record<string, CsvValue | undefined>>,
): ObjectiveLink {
  const link: ObjectiveLink = {
    source: String(values['source'] ?? ''),
    id: String(values['learningObjectiveId'] ?? ''),
  };
  const score = values['score'];
  if (typeof score === 'number') link.score = score;
  const text = values['textScore'];
  if (typeof text === 'string' && text !== '') link.textScore = text;
  return link;
}

type Element = Record<string, unknown> & { source: string };

const elementsOf = (list: unknown): Element[] =>
  Array.isArray(list)
    ? (list.filter(
        (e) =>
          typeof e === 'object' &&
          e !== null &&
          typeof (e as Element).source === 'string',
      ) as Element[])
    : [];

const idOf = (file: ObjectiveFile, x: unknown): string =>
  file === 'lineItemLearningObjectiveIds'
    ? String(x)
    : String((x as { learningObjectiveId?: unknown }).learningObjectiveId);

const entryOf = (file: ObjectiveFile, link: ObjectiveLink): unknown =>
  file === 'lineItemLearningObjectiveIds'
    ? link.id
    : {
        learningObjectiveId: link.id,
        ...(link.score !== undefined ? { score: link.score } : {}),
        ...(link.textScore !== undefined ? { textScore: link.textScore } : {}),
      };

/**
 * `list` with `link` in it: added at the end of its source's element (a new element at the
 * end when the source has none). `replace`: an objective already there takes the link's
 * score and textScore (a delta row changing it); else it is kept as it is. Answers whether
 * the objective was already there. Never changes `list` itself.
 */
export function withObjective(
  file: ObjectiveFile,
  list: unknown,
  link: ObjectiveLink,
  replace = false,
): { list: unknown[]; had: boolean } {
  const key = OBJECTIVE_FILES[file].list;
  const out = elementsOf(list).map((e) => ({
    ...e,
    [key]: Array.isArray(e[key]) ? [...(e[key] as unknown[])] : [],
  }));
  const element = out.find((e) => e.source === link.source);
  if (!element) {
    out.push({ source: link.source, [key]: [entryOf(file, link)] });
    return { list: out, had: false };
  }
  const entries = element[key] as unknown[];
  const at = entries.findIndex((x) => idOf(file, x) === link.id);
  if (at < 0) {
    entries.push(entryOf(file, link));
    return { list: out, had: false };
  }
  if (replace) entries[at] = entryOf(file, link);
  return { list: out, had: true };
}

/** `list` without the objective `link` names (and without a source left empty). */
export function withoutObjective(
  file: ObjectiveFile,
  list: unknown,
  link: Pick<ObjectiveLink, 'source' | 'id'>,
): unknown[] {
  const key = OBJECTIVE_FILES[file].list;
  return elementsOf(list)
    .map((e) =>
      e.source === link.source && Array.isArray(e[key])
        ? {
            ...e,
            [key]: (e[key] as unknown[]).filter(
              (x) => idOf(file, x) !== link.id,
            ),
          }
        : e,
    )
    .filter((e) => !Array.isArray(e[key]) || (e[key] as unknown[]).length);
}

/** The links of a stored list, one per objective, in order (what the export writes). */
export function objectiveLinks(
  file: ObjectiveFile,
  list: unknown,
): ObjectiveLink[] {
  const key = OBJECTIVE_FILES[file].list;
  const out: ObjectiveLink[] = [];
  for (const e of elementsOf(list))
    for (const x of Array.isArray(e[key]) ? (e[key] as unknown[]) : []) {
      const link: ObjectiveLink = { source: e.source, id: idOf(file, x) };
      if (file === 'resultLearningObjectiveIds') {
        const r = x as { score?: unknown; textScore?: unknown };
        if (typeof r.score === 'number') link.score = r.score;
        if (typeof r.textScore === 'string') link.textScore = r.textScore;
      }
      out.push(link);
    }
  return out;
}
