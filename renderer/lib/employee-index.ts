import type { Employee, Role } from '../../common/api';
import { compareByName } from '../../common/api/employee-order';
import { phoneCountries, toRegion, validatePhone } from '../../common/phone';
import { attentionBits } from './attention';
import { sortInSlices, sortNow, type Compare } from './sort-in-slices';

export type TwoFactorStatus = Employee['twoFactor']['status'];
export type SortKey = 'name' | 'email' | 'role' | 'twoFactor' | 'cellPhone' | 'lastLogin';
export type SortOrder = 'asc' | 'desc';

export interface EmployeeQuery {
  text: string;
  role: Role | null;
  status: TwoFactorStatus | null;
  /** No number, a landline, not enrolled, enrolment pending, or locked out (see lib/attention). */
  needsAttention: boolean;
  /** Has a number that was never confirmed with a code sent to it. */
  neverVerified: boolean;
  sort: SortKey;
  order: SortOrder;
}

export const DEFAULT_QUERY: Readonly<EmployeeQuery> = Object.freeze({
  text: '',
  role: null,
  status: null,
  needsAttention: false,
  neverVerified: false,
  sort: 'name',
  order: 'asc',
});

const ROLE_RANK: Readonly<Record<Role, number>> = { admin: 0, business: 1, sales: 2, tech: 3 };
const STATUS_RANK: Readonly<Record<TwoFactorStatus, number>> = { active: 0, pending: 1, not_enrolled: 2 };

/** Text typed into the search that reads as (part of) a phone number: digits and phone punctuation. */
const PHONE_LIKE = /^[+\d\s().\-/]*\d[+\d\s().\-/]*$/;

interface CompiledTerm {
  text: string;
  /**
   * The term's characters and pairs of adjacent characters as bits (see writeGrams), as pairs of
   * (word, bits) for the words that have any: a row lacking one of them cannot hold the term.
   */
  grams: Int32Array;
  /**
   * For a phone-like term, the digit strings that count as a match in a number: the digits as
   * typed and, for a national number, the same number with the company's country code (see
   * phoneNeedles). Empty for other terms.
   */
  needles: string[];
}

interface CompiledText {
  /** Every term must match the name/email haystack or (for phone-like terms) the number's digits. */
  terms: CompiledTerm[];
  /** How the query was split: a phone-like query is one term, spaces and all. */
  isPhoneQuery: boolean;
}

function normalizeQuery(raw: string): string {
  return fold(raw).trim().replace(/\s+/g, ' ');
}

/** Computed once per query (never per row): the filter pass stays one loop of `includes`. */
function compileText(raw: string, companyCountry: string | null): CompiledText {
  const text = normalizeQuery(raw);
  if (text === '') return { terms: [], isPhoneQuery: false };
  const isPhoneQuery = PHONE_LIKE.test(text);
  const parts = isPhoneQuery ? [text] : text.split(' ');
  return {
    isPhoneQuery,
    terms: parts.map((part) => ({ text: part, grams: gramsOf(part), needles: PHONE_LIKE.test(part) ? phoneNeedles(part, companyCountry) : [] })),
  };
}

let callingCodes: Map<string, string> | null = null;

function callingCodeOf(country: string | null): string | undefined {
  const region = toRegion(country);
  if (region === undefined) return undefined;
  callingCodes ??= new Map(phoneCountries().map((entry) => [entry.code, entry.callingCode]));
  return callingCodes.get(region);
}

/**
 * Numbers are stored in E.164 (`+442079460000`), but administrators type them the way they dial
 * them at home (`020 7946 0000`), often only the start. Besides the typed digits, a term without
 * `+` also matches as a national number of the company's country: a whole number is read exactly
 * as the edit window reads it (validatePhone, which knows each country's trunk prefix); a partial
 * one loses a leading trunk prefix `0` and gains the calling code (`020 7946` → `4420 7946`).
 * A leading `00` is the international prefix in most of the world (`0044 20…` → `4420…`).
 */
function phoneNeedles(term: string, companyCountry: string | null): string[] {
  const digits = term.replace(/\D/g, '');
  if (digits === '') return [];
  const needles = [digits];
  if (term.startsWith('+')) return needles;
  let asStored: string | undefined;
  if (digits.startsWith('00')) {
    asStored = digits.slice(2);
  } else {
    const callingCode = callingCodeOf(companyCountry);
    if (callingCode !== undefined) {
      const whole = validatePhone(term, companyCountry);
      asStored = whole.ok ? whole.e164.slice(1) : callingCode + (digits.startsWith('0') ? digits.slice(1) : digits);
    }
  }
  if (asStored !== undefined && asStored !== '' && asStored !== digits) needles.push(asStored);
  return needles;
}

/** Lower case without accents or width variants, so "Émile" sorts and searches with "emile". */
function fold(text: string): string {
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
const GRAM_WORDS = 6;
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
function writeGrams(text: string, masks: Int32Array, offset: number): void {
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

/**
 * A term's bits as (word, bits) pairs, for the words that have any. None for a single character:
 * `includes` finds one character as fast as the bits rule it out.
 */
function gramsOf(text: string): Int32Array {
  if (text.length < 2) return new Int32Array(0);
  const masks = new Int32Array(GRAM_WORDS);
  writeGrams(text, masks, 0);
  const pairs: number[] = [];
  for (let w = 0; w < GRAM_WORDS; w++) if (masks[w] !== 0) pairs.push(w, masks[w]!);
  return Int32Array.from(pairs);
}

/** True when the row at `offset` has every bit of the term's `grams` (it may hold the term; false: it cannot). */
function mayHold(masks: Int32Array, offset: number, grams: Int32Array): boolean {
  for (let g = 0; g < grams.length; g += 2) {
    const wanted = grams[g + 1]!;
    if ((masks[offset + grams[g]!]! & wanted) !== wanted) return false;
  }
  return true;
}

interface FilterState {
  query: EmployeeQuery;
  companyCountry: string | null;
  compiled: CompiledText;
  result: Uint32Array;
  revision: number;
}

/**
 * The Manage Employees grid's data, kept out of Vue's reactivity: employees in load order plus
 * per-row precomputed search text, digits and flags, and cached sort orders. Filtering a query is
 * one pass over typed arrays; a query that extends the previous one only re-checks the previous
 * result (typing narrows). Positions are stable: an update replaces a row where it is.
 */
export class EmployeeIndex {
  private rows: Employee[] = [];
  /** Made on first use (see positions()). */
  private positionById: Map<string, number> | null = new Map<string, number>();
  private haystacks: string[] = [];
  private digits: string[] = [];
  /** Per row, GRAM_WORDS words: the characters and character pairs of its haystack (see writeGrams). */
  private grams = new Int32Array(0);
  /** Per row, the reasons it needs attention as bits (lib/attention); 0 for none. */
  private attention: number[] = [];
  private attentionTotal = 0;
  private readonly orders = new Map<SortKey, Uint32Array>();
  private ordersLength = 0;
  private last: FilterState | null = null;
  private scratch = new Uint32Array(0);
  /** Bumped by every change to the rows: results computed at an older revision are stale. */
  revision = 0;

  get size(): number {
    return this.rows.length;
  }

  /** How many employees need attention (whatever the other filters). */
  get attentionCount(): number {
    return this.attentionTotal;
  }

  at(position: number): Employee {
    const row = this.rows[position];
    if (row === undefined) throw new RangeError(`no employee at ${position}`);
    return row;
  }

  positionOf(id: string): number | undefined {
    return this.positions().get(id);
  }

  /** Adds a page of employees (an id seen before replaces its row). */
  append(items: readonly Employee[]): void {
    const positionById = this.positions();
    for (const item of items) {
      const known = positionById.get(item.id);
      if (known !== undefined) {
        this.write(known, item);
        continue;
      }
      const position = this.rows.length;
      positionById.set(item.id, position);
      this.rows.push(item);
      this.reserveGrams(this.rows.length);
      this.haystacks.push('');
      this.digits.push('');
      this.attention.push(0);
      this.write(position, item);
    }
    this.changed();
  }

  /** Replaces one employee in place (after a save, or the portal's copy after a conflict). */
  replace(employee: Employee): boolean {
    const position = this.positions().get(employee.id);
    if (position === undefined) return false;
    this.write(position, employee);
    this.changed();
    return true;
  }

  clear(): void {
    this.rows.length = 0;
    this.haystacks.length = 0;
    this.digits.length = 0;
    this.attention.length = 0;
    this.grams = new Int32Array(0);
    this.attentionTotal = 0;
    this.positionById = new Map();
    this.changed();
  }

  /**
   * Positions of the rows that match, in the query's sort order. `companyCountry` (ISO alpha-2,
   * the signed-in administrator's company) is how national numbers in the search are read.
   */
  filter(query: EmployeeQuery, companyCountry: string | null = null): Uint32Array {
    const compiled = compileText(query.text, companyCountry);
    const order = this.order(query.sort, query.order);
    const last = this.last;
    const candidates =
      last !== null &&
      last.revision === this.revision &&
      last.companyCountry === companyCountry &&
      narrows(last.query, last.compiled, query, compiled)
        ? last.result
        : order;
    const { terms } = compiled;
    const { role, status, needsAttention, neverVerified } = query;
    const rows = this.rows;
    const haystacks = this.haystacks;
    const digits = this.digits;
    const grams = this.grams;
    const attention = this.attention;
    const hasFilter = terms.length > 0 || role !== null || status !== null || needsAttention || neverVerified;
    let result: Uint32Array;
    if (!hasFilter) {
      result = order;
    } else {
      // Matches go to a buffer kept for the next search, then into an array of their own size: a
      // keystroke leaves a result as small as what it found, not one as long as the list.
      if (this.scratch.length < candidates.length) this.scratch = new Uint32Array(this.rows.length);
      const out = this.scratch;
      let count = 0;
      for (let i = 0; i < candidates.length; i++) {
        const position = candidates[i]!;
        if (needsAttention && attention[position] === 0) continue;
        if (neverVerified && !isNeverVerified(rows[position]!)) continue;
        if (role !== null || status !== null) {
          const row = rows[position]!;
          if (role !== null && row.role !== role) continue;
          if (status !== null && row.twoFactor.status !== status) continue;
        }
        if (terms.length > 0) {
          const haystack = haystacks[position]!;
          const rowDigits = digits[position]!;
          const offset = position * GRAM_WORDS;
          let isMatch = true;
          for (let t = 0; t < terms.length; t++) {
            const term = terms[t]!;
            if (mayHold(grams, offset, term.grams) && haystack.includes(term.text)) continue;
            if (rowDigits !== '' && matchesAny(rowDigits, term.needles)) continue;
            isMatch = false;
            break;
          }
          if (!isMatch) continue;
        }
        out[count++] = position;
      }
      // Every candidate matched (a first key that every row holds): the candidates are the result,
      // as they are never the scratch buffer (an order, or an earlier result).
      result = count === candidates.length ? candidates : out.slice(0, count);
    }
    this.last = { query: { ...query }, companyCountry, compiled, result, revision: this.revision };
    return result;
  }

  /** True when `order(key, direction)` answers at once. */
  hasOrder(key: SortKey, direction: SortOrder): boolean {
    // Name order is the load order, and role and 2FA status are counting sorts: all O(n).
    if (key === 'name' || key === 'role' || key === 'twoFactor') return true;
    return this.orders.has(key) && (direction === 'asc' || this.orders.has(`${key}:desc` as SortKey));
  }

  /**
   * Computes a column's order without blocking the main thread (see sortInSlices). Resolves
   * false when the rows changed meanwhile (the caller asks again).
   */
  async prepareOrder(key: SortKey, direction: SortOrder): Promise<boolean> {
    if (this.hasOrder(key, direction)) return true;
    const revision = this.revision;
    if (!this.orders.has(key)) {
      const plan = this.sortPlan(key);
      const ascending = typeof plan === 'function' ? await sortInSlices(identity(this.rows.length), plan) : plan;
      if (revision !== this.revision) return false;
      this.orders.set(key, ascending);
    }
    this.order(key, direction);
    return true;
  }

  /** All positions sorted by a column (cached per column; ties keep the portal's name order). */
  order(key: SortKey, direction: SortOrder): Uint32Array {
    let ascending = this.orders.get(key);
    if (ascending === undefined) {
      const plan = this.sortPlan(key);
      ascending = typeof plan === 'function' ? sortNow(identity(this.rows.length), plan) : plan;
      this.orders.set(key, ascending);
    }
    if (direction === 'asc') return ascending;
    const descendingKey = `${key}:desc` as SortKey;
    let descending = this.orders.get(descendingKey);
    if (descending === undefined) {
      descending = this.reverseKeepingTies(key, ascending);
      this.orders.set(descendingKey, descending);
    }
    return descending;
  }

  /**
   * A new index with a `changedSince` delta applied (reopening Manage Employees): `deleted` ids gone,
   * `changed` rows replaced or added at their place in the portal's name order (last name, first name,
   * id). Untouched rows keep their precomputed text and attention flags, so no phone number is checked
   * again: at 100,000 rows this takes milliseconds where a fresh index takes seconds. A row already
   * newer here (a save) is kept.
   */
  withChanges(changed: readonly Employee[], deleted: readonly string[]): EmployeeIndex {
    const drop = new Set(deleted);
    const incoming: Employee[] = [];
    const versions = this.versionsOf(changed);
    for (const employee of changed) {
      const known = versions.get(employee.id);
      if (known !== undefined && known > employee.version) continue;
      if (drop.has(employee.id)) continue;
      incoming.push(employee);
      drop.add(employee.id);
    }
    incoming.sort(compareByName);
    // The new order as runs of kept rows (copied whole: a delta touches a handful of places in
    // 100,000 rows, and copying row by row cost ~100 ms and as much again in garbage collection)
    // with the incoming rows between them.
    const runs: number[] = [];
    const placed: Employee[][] = [[]];
    let from = 0;
    const closeRun = (end: number): void => {
      if (end > from) {
        runs.push(from, end);
        placed.push([]);
      }
    };
    let added = 0;
    const rows = this.rows;
    for (let position = 0; position < rows.length; position++) {
      const row = rows[position]!;
      if (drop.has(row.id)) {
        closeRun(position);
        from = position + 1;
        continue;
      }
      if (added < incoming.length && compareByName(incoming[added]!, row) < 0) {
        closeRun(position);
        from = position;
        const here = placed[placed.length - 1]!;
        while (added < incoming.length && compareByName(incoming[added]!, row) < 0) here.push(incoming[added++]!);
      }
    }
    closeRun(rows.length);
    placed[placed.length - 1]!.push(...incoming.slice(added));
    return EmployeeIndex.assembled(this, runs, placed);
  }

  /**
   * A new index of `source`'s rows in `runs` (pairs of start and end positions), with `placed[k]`
   * before the k-th run and the last entry of `placed` after them all. Kept rows keep their
   * precomputed text and bits; placed rows are indexed afresh.
   */
  private static assembled(source: EmployeeIndex, runs: readonly number[], placed: readonly (readonly Employee[])[]): EmployeeIndex {
    const next = new EmployeeIndex();
    next.positionById = null;
    const size = placed.reduce((sum, rows) => sum + rows.length, 0) + runs.reduce((sum, value, k) => (k % 2 === 0 ? sum - value : sum + value), 0);
    const blank = (count: number): Employee[] => new Array<Employee>(count);
    const pieces = <T>(of: readonly T[], fill: (count: number) => T[]): T[][] => {
      const out: T[][] = [];
      for (let k = 0; k < placed.length; k++) {
        if (placed[k]!.length > 0) out.push(fill(placed[k]!.length));
        if (2 * k < runs.length) out.push(of.slice(runs[2 * k]!, runs[2 * k + 1]!));
      }
      return out;
    };
    next.rows = blank(0).concat(...pieces(source.rows, blank));
    next.haystacks = ([] as string[]).concat(...pieces(source.haystacks, (count) => new Array<string>(count).fill('')));
    next.digits = ([] as string[]).concat(...pieces(source.digits, (count) => new Array<string>(count).fill('')));
    next.attention = ([] as number[]).concat(...pieces(source.attention, (count) => new Array<number>(count).fill(0)));
    next.grams = new Int32Array(Math.max(size, 1024) * GRAM_WORDS);
    let at = 0;
    // The kept rows' share of the rows needing attention: all of the source's but the left-out rows'.
    let attentionTotal = source.attentionTotal;
    const leaveOut = (start: number, end: number): void => {
      for (let position = start; position < end; position++) if (source.attention[position] !== 0) attentionTotal--;
    };
    let previousEnd = 0;
    for (let k = 0; k < placed.length; k++) {
      for (const employee of placed[k]!) {
        next.rows[at] = employee;
        next.write(at++, employee);
      }
      if (2 * k >= runs.length) break;
      const start = runs[2 * k]!;
      const end = runs[2 * k + 1]!;
      leaveOut(previousEnd, start);
      next.grams.set(source.grams.subarray(start * GRAM_WORDS, end * GRAM_WORDS), at * GRAM_WORDS);
      at += end - start;
      previousEnd = end;
    }
    leaveOut(previousEnd, source.rows.length);
    next.attentionTotal += attentionTotal;
    next.changed();
    return next;
  }

  /** The versions held of these employees (by id; absent: not held). */
  private versionsOf(employees: readonly Employee[]): Map<string, number> {
    const versions = new Map<string, number>();
    if (employees.length === 0) return versions;
    if (this.positionById !== null) {
      for (const employee of employees) {
        const position = this.positionById.get(employee.id);
        if (position !== undefined) versions.set(employee.id, this.rows[position]!.version);
      }
      return versions;
    }
    // Not looked up by id since it was made (a reopen's index): one pass, not a 100,000-entry map.
    const wanted = new Set(employees.map((employee) => employee.id));
    for (const row of this.rows) if (wanted.has(row.id)) versions.set(row.id, row.version);
    return versions;
  }

  /** Position by id, made on first use (an index made by withChanges is often never asked). */
  private positions(): Map<string, number> {
    if (this.positionById === null) {
      const positions = new Map<string, number>();
      for (let position = 0; position < this.rows.length; position++) positions.set(this.rows[position]!.id, position);
      this.positionById = positions;
    }
    return this.positionById;
  }

  private write(position: number, employee: Employee): void {
    const previous = this.rows[position];
    this.rows[position] = employee;
    const haystack = foldRow(`${employee.firstName} ${employee.lastName}\n${employee.email}`);
    this.haystacks[position] = haystack;
    writeGrams(haystack, this.grams, position * GRAM_WORDS);
    this.digits[position] = employee.cellPhone === null ? '' : employee.cellPhone.replace(/\D/g, '');
    const bits = attentionBits(employee);
    this.attentionTotal += (bits !== 0 ? 1 : 0) - (this.attention[position] !== 0 ? 1 : 0);
    this.attention[position] = bits;
    if (previous !== undefined && previous !== employee) this.invalidateOrdersFor(previous, employee);
  }

  /** Room for `rows` rows' gram masks (grown by doubling, so appending row by row stays linear). */
  private reserveGrams(rows: number): void {
    if (this.grams.length >= rows * GRAM_WORDS) return;
    const grown = new Int32Array(Math.max(rows, this.grams.length / GRAM_WORDS * 2, 1024) * GRAM_WORDS);
    grown.set(this.grams);
    this.grams = grown;
  }

  private invalidateOrdersFor(before: Employee, after: Employee): void {
    const drop = (key: SortKey): void => {
      this.orders.delete(key);
      this.orders.delete(`${key}:desc` as SortKey);
    };
    // Name order breaks every tie, so a renamed employee invalidates everything.
    if (before.firstName !== after.firstName || before.lastName !== after.lastName) {
      this.orders.clear();
      return;
    }
    if (before.email !== after.email) drop('email');
    if (before.role !== after.role) drop('role');
    if (before.twoFactor.status !== after.twoFactor.status) drop('twoFactor');
    if (before.cellPhone !== after.cellPhone) drop('cellPhone');
    if (before.lastLoginAt !== after.lastLoginAt) drop('lastLogin');
  }

  private changed(): void {
    this.revision++;
    this.last = null;
    // Appending changes every order's length; a replacement has dropped the orders it affects.
    if (this.ordersLength !== this.rows.length) {
      this.orders.clear();
      this.ordersLength = this.rows.length;
    }
  }

  /**
   * How to sort by a column: an order at once (cheap columns) or a comparison for sortInSlices.
   * Positions are in the portal's name order (the list is loaded with sort=name), so comparing
   * positions breaks every tie by name.
   */
  private sortPlan(key: SortKey): Uint32Array | Compare {
    const n = this.rows.length;
    const rows = this.rows;
    switch (key) {
      case 'name':
        return identity(n);
      case 'role':
        return bucketSort(n, (position) => ROLE_RANK[rows[position]!.role], 4);
      case 'twoFactor':
        return bucketSort(n, (position) => STATUS_RANK[rows[position]!.twoFactor.status], 3);
      case 'lastLogin': {
        const times = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const at = rows[i]!.lastLoginAt;
          // Never signed in sorts before the oldest sign-in.
          times[i] = at === null ? -Infinity : Date.parse(at);
        }
        return (a, b) => (times[a]! < times[b]! ? -1 : times[a]! > times[b]! ? 1 : a - b);
      }
      case 'email':
      case 'cellPhone': {
        const keys = new Array<string>(n);
        if (key === 'email') {
          for (let i = 0; i < n; i++) keys[i] = rows[i]!.email.toLowerCase();
        } else {
          // No number sorts after every number.
          for (let i = 0; i < n; i++) keys[i] = this.digits[i] === '' ? '\uffff' : this.digits[i]!;
        }
        return (a, b) => {
          const x = keys[a]!;
          const y = keys[b]!;
          return x < y ? -1 : x > y ? 1 : a - b;
        };
      }
    }
  }

  /** Descending order, but employees that tie on the key stay in name order. */
  private reverseKeepingTies(key: SortKey, ascending: Uint32Array): Uint32Array {
    if (key === 'name') return ascending.slice().reverse();
    const rows = this.rows;
    const keyOf = (position: number): string | number => {
      const row = rows[position]!;
      switch (key) {
        case 'email':
          return row.email.toLowerCase();
        case 'role':
          return row.role;
        case 'twoFactor':
          return row.twoFactor.status;
        case 'cellPhone':
          return this.digits[position]!;
        case 'lastLogin':
          return row.lastLoginAt ?? '';
      }
    };
    const out = new Uint32Array(ascending.length);
    let write = 0;
    let end = ascending.length;
    while (end > 0) {
      let start = end - 1;
      const value = keyOf(ascending[start]!);
      while (start > 0 && keyOf(ascending[start - 1]!) === value) start--;
      for (let i = start; i < end; i++) out[write++] = ascending[i]!;
      end = start;
    }
    return out;
  }
}

function matchesAny(rowDigits: string, needles: readonly string[]): boolean {
  for (let n = 0; n < needles.length; n++) if (rowDigits.includes(needles[n]!)) return true;
  return false;
}

function identity(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** A stable counting sort of all positions for columns with a handful of values. */
function bucketSort(n: number, rankOf: (position: number) => number, buckets: number): Uint32Array {
  const counts = new Uint32Array(buckets + 1);
  const ranks = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const rank = rankOf(i);
    ranks[i] = rank;
    counts[rank + 1] = counts[rank + 1]! + 1;
  }
  for (let b = 1; b <= buckets; b++) counts[b] = counts[b]! + counts[b - 1]!;
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const rank = ranks[i]!;
    out[counts[rank]!] = i;
    counts[rank] = counts[rank]! + 1;
  }
  return out;
}

/** True when every row matching `next` also matched `previous`, so the previous result can be re-checked instead of everything. */
/** A number on record that nobody ever confirmed with a code (the portal has no verification time). */
export function isNeverVerified(employee: Employee): boolean {
  return employee.cellPhone !== null && !employee.phoneVerifiedAt;
}

function narrows(previous: EmployeeQuery, previousText: CompiledText, next: EmployeeQuery, nextText: CompiledText): boolean {
  if (previous.sort !== next.sort || previous.order !== next.order) return false;
  if (previous.role !== null && previous.role !== next.role) return false;
  if (previous.status !== null && previous.status !== next.status) return false;
  if (previous.needsAttention && !next.needsAttention) return false;
  if (previous.neverVerified && !next.neverVerified) return false;
  if (previousText.terms.length === 0) return true;
  if (previousText.isPhoneQuery !== nextText.isPhoneQuery) return false;
  if (!normalizeQuery(next.text).startsWith(normalizeQuery(previous.text))) return false;
  // Longer text matches less text, but a term's digit needles need not grow with it (a whole
  // number read by validatePhone, a term that just became phone-like): only narrow when every
  // needle of a term contains one of the same term's previous needles.
  for (let t = 0; t < previousText.terms.length; t++) {
    const before = previousText.terms[t]!.needles;
    const after = nextText.terms[t]?.needles ?? [];
    if (!after.every((needle) => before.some((earlier) => needle.includes(earlier)))) return false;
  }
  return true;
}
