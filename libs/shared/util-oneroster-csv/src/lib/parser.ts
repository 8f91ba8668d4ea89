import { StringDecoder } from 'node:string_decoder';

/**
 * A streaming RFC 4180 reader (§8.1 of the spec digest). Rules it enforces or tolerates:
 * - UTF-8; a leading byte-order mark is ignored;
 * - records end in CRLF, LF or a lone CR (real exports mix them);
 * - a quoted field may hold commas, doubled quotes and line breaks;
 * - blank lines are skipped;
 * - a quote inside an unquoted field, text after a closing quote, or a quote left open at
 *   the end of the file are reported on the record (`problem`), never thrown.
 * Only the records of one input chunk are held at a time, so memory does not grow with the
 * file.
 */
export interface CsvRecord {
  /** Line number (1-based) on which the record starts. */
  line: number;
  fields: string[];
  problem?: string;
}

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;

type CsvInput = AsyncIterable<Buffer | string> | Iterable<Buffer | string>;

/** The records one at a time. */
export async function* parseCsv(input: CsvInput): AsyncGenerator<CsvRecord> {
  for await (const batch of parseCsvBatches(input)) yield* batch;
}

/**
 * The records of each input chunk together (never an empty batch): a large file is read
 * with one asynchronous step per chunk instead of one per record.
 */
export async function* parseCsvBatches(
  input: CsvInput,
): AsyncGenerator<CsvRecord[]> {
  const decoder = new StringDecoder('utf8');
  let first = true;
  let line = 1;
  let recordLine = 1;
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  /** In a quoted field, just read a quote: either the closing one or half of `""`. */
  let quoteSeen = false;
  /** The field began with a quote (so it has been closed when inQuotes is false). */
  let quoted = false;
  let afterCr = false;
  let problem: string | undefined;
  let out: CsvRecord[] = [];

  const endField = () => {
    fields.push(field);
    field = '';
    quoted = false;
  };
  const endRecord = () => {
    endField();
    if (!(fields.length === 1 && fields[0] === '' && !problem))
      out.push(
        problem
          ? { line: recordLine, fields, problem }
          : { line: recordLine, fields },
      );
    fields = [];
    problem = undefined;
  };

  const feed = (text: string) => {
    let i = 0;
    const n = text.length;
    // Next LF, CR and quote at or after i (-1: none left in this text); searched again
    // only once passed, so finding them stays linear in the text.
    let nextLf = -2;
    let nextCr = -2;
    let nextQuote = -2;
    const next = (found: number, char: string) =>
      found === -1 || found >= i ? found : text.indexOf(char, i);
    while (i < n) {
      if (
        !inQuotes &&
        !afterCr &&
        fields.length === 0 &&
        field === '' &&
        !quoted
      ) {
        // A whole plain line (no quote, no CR but one just before the LF) is split at
        // once: what the character rules below would make of it.
        nextLf = next(nextLf, '\n');
        if (nextLf >= 0) {
          nextQuote = next(nextQuote, '"');
          nextCr = next(nextCr, '\r');
          const end =
            nextLf > i && text.charCodeAt(nextLf - 1) === CR
              ? nextLf - 1
              : nextLf;
          if (
            (nextQuote < 0 || nextQuote > nextLf) &&
            (nextCr < 0 || nextCr >= end)
          ) {
            fields = text.slice(i, end).split(',');
            field = fields.pop() as string;
            endRecord();
            line++;
            recordLine = line;
            i = nextLf + 1;
            continue;
          }
        }
      }
      if (inQuotes) {
        const c = text.charCodeAt(i);
        if (quoteSeen) {
          quoteSeen = false;
          if (c === QUOTE) {
            field += '"';
            i++;
            continue;
          }
          inQuotes = false;
          continue; // re-read c outside the quotes
        }
        const q = text.indexOf('"', i);
        const end = q < 0 ? n : q;
        const chunk = text.slice(i, end);
        for (let k = 0; k < chunk.length; k++) {
          const ch = chunk.charCodeAt(k);
          if (ch === LF) line++;
          else if (ch === CR && chunk.charCodeAt(k + 1) !== LF) line++;
        }
        field += chunk;
        if (q < 0) return;
        quoteSeen = true;
        i = q + 1;
        continue;
      }
      const c = text.charCodeAt(i);
      if (afterCr) {
        afterCr = false;
        if (c === LF) {
          i++;
          continue;
        }
      }
      if (c === COMMA) {
        endField();
        i++;
      } else if (c === LF || c === CR) {
        endRecord();
        line++;
        recordLine = line;
        afterCr = c === CR;
        i++;
      } else if (c === QUOTE) {
        if (field === '' && !quoted) {
          inQuotes = true;
          quoted = true;
        } else {
          problem ??= 'a double quote inside a field that is not quoted';
          field += '"';
        }
        i++;
      } else {
        if (quoted) problem ??= 'text after the closing quote of a field';
        let j = i + 1;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === COMMA || d === LF || d === CR || d === QUOTE) break;
          j++;
        }
        field += text.slice(i, j);
        i = j;
      }
    }
  };

  for await (const chunk of input) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    feed(text);
    if (out.length) {
      yield out;
      out = [];
    }
  }
  feed(decoder.end());
  if (quoteSeen) {
    quoteSeen = false;
    inQuotes = false;
  }
  if (inQuotes)
    problem ??= 'a quoted field is not closed before the end of the file';
  if (field !== '' || fields.length > 0 || quoted || problem) endRecord();
  if (out.length) yield out;
}
