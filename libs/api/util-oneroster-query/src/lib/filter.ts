import { InvalidDataError } from './errors';

/**
 * The OneRoster 1.1 filter language (digest §3.1):
 *
 *   filter  := clause ( SP logical SP clause )*
 *   clause  := field predicate value
 *   logical := AND | OR        (AND binds tighter than OR; no parentheses)
 *   value   := "'" chars "'"   ('' inside a quoted value is one quote)
 *
 * Rules enforced, and leniencies chosen (be lenient on input, exact on output):
 * - predicates `=`, `!=`, `>`, `>=`, `<`, `<=`, `~`; the whole run of operator characters
 *   after a field must be one of them, so a doubled or unknown operator (`==`, `=<`, `===`,
 *   `~~`, `=>`) is refused rather than read as a predicate and a value starting with `=`;
 * - an unquoted value may not start with an operator character (`a= =x` is refused too);
 * - any number of clauses (the 1.1 text shows at most two);
 * - `AND`/`OR` in any letter case, surrounded by one or more spaces;
 * - spaces around the predicate are ignored; a value without quotes runs to the next space;
 * - field names are letters, digits, `_`, `-`, `.` (dotted sub-fields such as `orgs.sourcedId`);
 * - anything else is a 400 invaliddata naming the position of the problem.
 */
export type Predicate = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~';

export interface FilterClause {
  kind: 'clause';
  field: string;
  predicate: Predicate;
  value: string;
}

export interface FilterLogical {
  kind: 'and' | 'or';
  operands: FilterExpr[];
}

export type FilterExpr = FilterClause | FilterLogical;

const PREDICATES: Predicate[] = ['>=', '<=', '!=', '=', '>', '<', '~'];
const MAX_CLAUSES = 20;
/** The characters predicates are made of, as a run at the start of the rest of the text. */
const OPERATOR_RUN = /^[=!<>~]+/;

export function parseFilter(input: string): FilterExpr {
  let pos = 0;
  const text = input;
  const fail = (what: string): never => {
    throw new InvalidDataError(
      `Invalid filter at character ${pos + 1}: ${what} (filter: ${text})`,
    );
  };
  const skipSpaces = () => {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  };

  const clause = (): FilterClause => {
    skipSpaces();
    const start = pos;
    while (pos < text.length && /[A-Za-z0-9_.-]/.test(text[pos])) pos++;
    const field = text.slice(start, pos);
    if (!field) fail('expected a field name');
    skipSpaces();
    const operator = OPERATOR_RUN.exec(text.slice(pos))?.[0] ?? '';
    const predicate = PREDICATES.find((p) => p === operator);
    if (!predicate)
      fail(
        operator
          ? `unknown operator "${operator}" after "${field}" (expected one of ${PREDICATES.join(' ')})`
          : `expected one of ${PREDICATES.join(' ')} after "${field}"`,
      );
    pos += predicate!.length;
    skipSpaces();
    if (OPERATOR_RUN.test(text.slice(pos)))
      fail(`unknown operator after "${field}${predicate}"`);
    let value = '';
    if (text[pos] === "'") {
      pos++;
      for (;;) {
        if (pos >= text.length) fail('unterminated quoted value');
        if (text[pos] === "'") {
          if (text[pos + 1] === "'") {
            value += "'";
            pos += 2;
            continue;
          }
          pos++;
          break;
        }
        value += text[pos++];
      }
    } else {
      const vStart = pos;
      while (pos < text.length && !/\s/.test(text[pos])) pos++;
      value = text.slice(vStart, pos);
      if (!value) fail(`expected a value after "${field}${predicate}"`);
    }
    return { kind: 'clause', field, predicate: predicate!, value };
  };

  const logical = (): 'and' | 'or' | null => {
    const m = /^\s+(AND|OR)(\s+|$)/i.exec(text.slice(pos));
    if (!m) return null;
    pos += m[0].length;
    return m[1].toLowerCase() as 'and' | 'or';
  };

  // AND binds tighter than OR: collect OR-separated groups of AND-ed clauses.
  const orGroups: FilterClause[][] = [[clause()]];
  let count = 1;
  for (;;) {
    skipSpacesAtEnd();
    if (pos >= text.length) break;
    const op = logical();
    if (!op) fail('expected AND or OR between clauses');
    if (++count > MAX_CLAUSES) fail(`more than ${MAX_CLAUSES} clauses`);
    const next = clause();
    if (op === 'and') orGroups[orGroups.length - 1].push(next);
    else orGroups.push([next]);
  }
  const groups: FilterExpr[] = orGroups.map((g) =>
    g.length === 1 ? g[0] : { kind: 'and', operands: g },
  );
  return groups.length === 1 ? groups[0] : { kind: 'or', operands: groups };

  function skipSpacesAtEnd() {
    if (/^\s*$/.test(text.slice(pos))) pos = text.length;
  }
}

/** Every clause of an expression, left to right. */
export function filterClauses(expr: FilterExpr): FilterClause[] {
  return expr.kind === 'clause' ? [expr] : expr.operands.flatMap(filterClauses);
}

/**
 * The canonical text of a parsed filter: `field<predicate>'value'` clauses (quotes doubled
 * inside values) joined by ` AND ` / ` OR `. Parsing it gives the same expression back, so
 * it can stand for the request's filter in links the API writes.
 */
export function formatFilter(expr: FilterExpr): string {
  if (expr.kind === 'clause')
    return `${expr.field}${expr.predicate}'${expr.value.replace(/'/g, "''")}'`;
  return expr.operands
    .map(formatFilter)
    .join(expr.kind === 'and' ? ' AND ' : ' OR ');
}
