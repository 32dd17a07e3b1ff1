import { describe, expect, it } from 'vitest';
import type { Employee, Role } from '../../../../common/api';
import { DEFAULT_QUERY, EmployeeIndex, type EmployeeQuery } from '../../../../renderer/lib/employee-index';
import { makeEmployee } from '../support/fake-portal';
import { randomSource } from '../support/random-source';

/*
 * The index's search against a plain filter written from the rules alone, over many random rows and
 * queries typed key by key, with rows changed, added and deleted between keys: the results must be
 * the same rows in the same order at every key. (The index skips rows by the characters and pairs
 * of characters they hold and narrows from the previous key's result; none of that may change what
 * is found.)
 */

const FIRST = ['Ada', 'Émile', 'Zoë', 'Łukasz', 'José', 'Maria', 'Ahmed', 'Sam', 'Ｋｅｎ', 'Ångström', 'Øyvind', 'Li', 'Bea', 'Chloé', 'Mei-Ling', "D'Arcy"];
const LAST = ['Smith', 'Garcia', 'Müller', "O'Brien", 'Nguyễn', 'Ahmed', 'Kowalski', 'Chen', 'Smithson', 'Ramírez', 'Lee', 'Van der Berg', 'Özdemir', 'Ng'];
const DOMAINS = ['acme.test', 'example.org', 'mail.acme.test'];
const ROLES: Role[] = ['admin', 'business', 'sales', 'tech'];
/** Characters the random queries are made of besides pieces of real rows: letters, digits, phone punctuation, accents. */
const NOISE = 'abcdeimnorstuzé@.-+ 0123456789()ØÅ';

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

const PHONE_LIKE = /^[+\d\s().\-/]*\d[+\d\s().\-/]*$/;

/**
 * The search's rules, with no company country (numbers are matched by their digits as typed; a
 * leading 00 is the international prefix): every space-separated term must be in the folded
 * "first last / email", or, for a term that reads as a number, in the number's digits. A query that
 * reads as a number is one term, spaces and all.
 */
function plainFilter(rows: readonly Employee[], query: EmployeeQuery): number[] {
  const text = fold(query.text).trim().replace(/\s+/g, ' ');
  const terms = text === '' ? [] : PHONE_LIKE.test(text) ? [text] : text.split(' ');
  const found: number[] = [];
  rows.forEach((row, position) => {
    if (query.role !== null && row.role !== query.role) return;
    const haystack = fold(`${row.firstName} ${row.lastName}\n${row.email}`);
    const digits = row.cellPhone?.replace(/\D/g, '') ?? '';
    const isMatch = terms.every((term) => {
      if (haystack.includes(term)) return true;
      if (!PHONE_LIKE.test(term) || digits === '') return false;
      const typed = term.replace(/\D/g, '');
      if (typed === '') return false;
      return digits.includes(typed) || (!term.startsWith('+') && typed.startsWith('00') && typed.length > 2 && digits.includes(typed.slice(2)));
    });
    if (isMatch) found.push(position);
  });
  return found;
}

describe('EmployeeIndex search, against a plain filter', () => {
  function randomEmployee(random: () => number, sequence: number): Employee {
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const firstName = pick(FIRST);
    const lastName = pick(LAST);
    const local = `${fold(firstName).replace(/[^a-z]/g, '')}.${fold(lastName).replace(/[^a-z]/g, '')}${random() < 0.3 ? Math.floor(random() * 100) : ''}`;
    const numbers = ['+44', '+1', '+49', '+33', '+7'];
    const cellPhone = random() < 0.15 ? null : `${pick(numbers)}${String(Math.floor(random() * 1e10)).padStart(10, '0')}`;
    const email = random() < 0.1 ? `${local}@${pick(DOMAINS)}`.toUpperCase() : `${local}@${pick(DOMAINS)}`;
    return makeEmployee({ id: `r-${sequence}`, firstName, lastName, email, cellPhone, role: pick(ROLES) });
  }

  /** A query as an administrator might type it: a piece of a name, an email or a number (formatted or not), or noise. */
  function randomQuery(random: () => number, rows: readonly Employee[]): string {
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const piece = (text: string) => {
      const start = Math.floor(random() * text.length);
      return text.slice(start, start + 1 + Math.floor(random() * 8));
    };
    const row = rows.length === 0 ? makeEmployee() : pick(rows);
    const kind = random();
    if (kind < 0.3) return piece(`${row.firstName} ${row.lastName}`);
    if (kind < 0.45) return random() < 0.5 ? piece(row.email) : piece(row.email).toUpperCase();
    if (kind < 0.65 && row.cellPhone !== null) {
      const digits = piece(row.cellPhone.slice(1));
      const spaced = digits.replace(/(\d{3})(?=\d)/g, random() < 0.5 ? '$1 ' : '$1-');
      return random() < 0.3 ? `+${spaced}` : random() < 0.2 ? `00${spaced}` : spaced;
    }
    if (kind < 0.8) return `${piece(row.firstName)} ${piece(row.lastName)}`;
    return Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick([...NOISE])).join('');
  }

  it.each([1, 2, 3, 4, 5, 6])('finds exactly what the plain filter finds, key by key, while rows change (seed %i)', (seed) => {
    const random = randomSource(seed);
    let sequence = seed * 100_000;
    let rows: Employee[] = Array.from({ length: 600 }, () => randomEmployee(random, sequence++));
    rows.sort((a, b) => a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName) || a.id.localeCompare(b.id));
    let index = new EmployeeIndex();
    // Loaded in pages, as the store does.
    for (let start = 0; start < rows.length; start += 100) index.append(rows.slice(start, start + 100));
    let checkedKeys = 0;
    let found = 0;
    for (let round = 0; round < 60; round++) {
      const typed = randomQuery(random, rows);
      const role = random() < 0.15 ? ROLES[Math.floor(random() * ROLES.length)]! : null;
      for (let length = 1; length <= typed.length; length++) {
        const query: EmployeeQuery = { ...DEFAULT_QUERY, text: typed.slice(0, length), role };
        expect(Array.from(index.filter(query)), `seed ${seed}, "${query.text}"`).toEqual(plainFilter(rows, query));
        checkedKeys++;
        found += plainFilter(rows, query).length;
        // Mid-typing: a row saved with a new name and number, a delta with a deletion and an
        // addition, or a page more.
        const change = random();
        if (change < 0.08 && rows.length > 0) {
          const position = Math.floor(random() * rows.length);
          const other = randomEmployee(random, sequence++);
          const changed = Object.freeze({ ...rows[position]!, firstName: other.firstName, email: other.email, cellPhone: other.cellPhone, version: rows[position]!.version + 1 });
          expect(index.replace(changed)).toBe(true);
          rows[position] = changed;
        } else if (change < 0.12 && rows.length > 1) {
          const gone = rows[Math.floor(random() * rows.length)]!;
          const added = randomEmployee(random, sequence++);
          index = index.withChanges([added], [gone.id]);
          rows = Array.from({ length: index.size }, (_, position) => index.at(position));
          expect(rows.some((row) => row.id === gone.id)).toBe(false);
          expect(rows.some((row) => row.id === added.id)).toBe(true);
        } else if (change < 0.14) {
          const page = [randomEmployee(random, sequence++), randomEmployee(random, sequence++)];
          index.append(page);
          rows.push(...page);
        }
      }
      // Backspace to nothing (the previous result cannot be narrowed from), then the next query.
      expect(index.filter({ ...DEFAULT_QUERY, role })).toHaveLength(plainFilter(rows, { ...DEFAULT_QUERY, role }).length);
    }
    // The queries found rows, not only empty results.
    expect(checkedKeys).toBeGreaterThan(120);
    expect(found).toBeGreaterThan(checkedKeys);
  });

  it('rows loaded past the first thousands are found as well as the first (the per-row data grows)', () => {
    const index = new EmployeeIndex();
    const rows = Array.from({ length: 5000 }, (_, n) => makeEmployee({ id: `g-${n}`, firstName: 'Kim', lastName: `Row${n}`, email: `kim.q${n}x@acme.test`, cellPhone: null }));
    for (let start = 0; start < rows.length; start += 700) index.append(rows.slice(start, start + 700));
    for (const n of [0, 1, 1023, 1024, 2047, 2048, 4095, 4999]) {
      expect(Array.from(index.filter({ ...DEFAULT_QUERY, text: `q${n}x` }), (position) => index.at(position).id)).toEqual([`g-${n}`]);
    }
  });

  it('finds characters of every kind: accents, wide letters, digits in emails, punctuation', () => {
    const rows = [
      makeEmployee({ firstName: 'Ｋｅｎ', lastName: 'Ōta', email: 'ken.ota5@acme.test', cellPhone: '+81312345678' }),
      makeEmployee({ firstName: 'Zoë', lastName: "O'Brien-Smith", email: 'zoe.obrien+it@acme.test', cellPhone: null }),
      makeEmployee({ firstName: 'Łukasz', lastName: 'Wiśniewski', email: 'LUKASZ.W@ACME.TEST', cellPhone: '+48601234567' }),
    ];
    const index = new EmployeeIndex();
    index.append(rows);
    const lastNames = (text: string) => Array.from(index.filter({ ...DEFAULT_QUERY, text }), (position) => index.at(position).lastName);
    for (const [text, expected] of [
      ['ken', ['Ōta']],
      ['ota5', ['Ōta']],
      ['5', ['Ōta', 'Wiśniewski']],
      ['5@', ['Ōta']],
      ["o'b", ["O'Brien-Smith"]],
      ['+it@', ["O'Brien-Smith"]],
      ['n-s', ["O'Brien-Smith"]],
      ['łukasz', ['Wiśniewski']],
      ['lukasz.w@acme', ['Wiśniewski']],
      ['wisn', ['Wiśniewski']],
      ['601 234', ['Wiśniewski']],
      ['zoe smith', ["O'Brien-Smith"]],
    ] as const) {
      expect(lastNames(text), text).toEqual(expected);
    }
  });
});
