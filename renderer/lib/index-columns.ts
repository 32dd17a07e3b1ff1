import type { Employee } from '../../common/api';
import { attentionBits } from './attention';

/*
 * What the Manage Employees index precomputes per row (its search text, the bits of that text, the
 * number's digits and the reasons the row needs attention), kept apart from the index so that the
 * offline copy's worker (workers/index-columns.worker.ts) computes exactly what the window would.
 * No DOM, no Vue: this runs in the window and in a Web Worker.
 */

/** Lower case without accents or width variants, so "Émile" sorts and searches with "emile". */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
}

const NOT_ASCII = /[\u0080-\uffff]/;

/** fold() for a row's text, which is mostly plain ASCII: that only needs lower case (no accents, no width variants). */
function foldRow(text: string): string {
  return NOT_ASCII.test(text) ? fold(text) : text.toLowerCase();
}

/*
 * Per row, which characters and which pairs of adjacent characters its name/email text holds, as
 * bits: GRAM_WORDS 32-bit words, the first two for single characters (a–z and 0–9 each have a bit of
 * their own), the rest for pairs (hashed). A term can only be in a text whose bits include all of the
 * term's, so the first keys of a search, which have every row to look at, skip most rows with a few
 * integer tests instead of a substring search. The bits only ever rule a row out: a row that passes is
 * still checked with `includes`, so results are exactly those of the substring search.
 */
export const GRAM_WORDS = 6;
const CHAR_BITS = 64;
const PAIR_BITS = (GRAM_WORDS - 2) * 32;

function charBit(code: number): number {
  if (code >= 97 && code <= 122) return code - 97; // a–z
  if (code >= 48 && code <= 57) return 26 + code - 48; // 0–9
  return 36 + (code % (CHAR_BITS - 36));
}

function pairBit(first: number, second: number): number {
  return CHAR_BITS + ((Math.imul(first * 65599 + second, 0x9e3779b1) >>> 0) % PAIR_BITS);
}

/** Sets the bits of `text` in `masks` at `offset` (GRAM_WORDS words). */
export function writeGrams(text: string, masks: Int32Array, offset: number): void {
  masks.fill(0, offset, offset + GRAM_WORDS);
  let previous = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const bit = charBit(code);
    masks[offset + (bit >>> 5)]! |= 1 << (bit & 31);
    if (previous >= 0) {
      const pair = pairBit(previous, code);
      masks[offset + (pair >>> 5)]! |= 1 << (pair & 31);
    }
    previous = code;
  }
}

/** The text a row's search looks in: name and email, folded. */
export function haystackOf(employee: Employee): string {
  return foldRow(`${employee.firstName} ${employee.lastName}\n${employee.email}`);
}

/** The digits of the row's number ('' for none), which phone-like searches look in. */
export function digitsOf(employee: Employee): string {
  return employee.cellPhone === null ? '' : employee.cellPhone.replace(/\D/g, '');
}

/** A page of rows' precomputed columns, row k at index k (grams: GRAM_WORDS words a row). */
export interface IndexColumns {
  haystacks: string[];
  digits: string[];
  grams: Int32Array;
  /** Reasons each row needs attention, as lib/attention's bits (0: none). */
  attention: Uint8Array;
}

/** The columns of `items` (what EmployeeIndex would compute for each of them). */
export function indexColumns(items: readonly Employee[]): IndexColumns {
  const n = items.length;
  const columns: IndexColumns = { haystacks: new Array<string>(n), digits: new Array<string>(n), grams: new Int32Array(n * GRAM_WORDS), attention: new Uint8Array(n) };
  for (let k = 0; k < n; k++) {
    const employee = items[k]!;
    const haystack = haystackOf(employee);
    columns.haystacks[k] = haystack;
    writeGrams(haystack, columns.grams, k * GRAM_WORDS);
    columns.digits[k] = digitsOf(employee);
    columns.attention[k] = attentionBits(employee);
  }
  return columns;
}

/** True when `columns` is a well-formed set of columns for `count` rows (what a worker sent back). */
export function fitsRows(columns: IndexColumns, count: number): boolean {
  return (
    Array.isArray(columns.haystacks) &&
    Array.isArray(columns.digits) &&
    columns.grams instanceof Int32Array &&
    columns.attention instanceof Uint8Array &&
    columns.haystacks.length === count &&
    columns.digits.length === count &&
    columns.grams.length === count * GRAM_WORDS &&
    columns.attention.length === count
  );
}
