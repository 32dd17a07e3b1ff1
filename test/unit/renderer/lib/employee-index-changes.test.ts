import { describe, expect, it } from 'vitest';
import type { Employee, Role } from '../../../../common/api';
import { compareByName, insertInNameOrder } from '../../../../common/api/employee-order';
import { DEFAULT_QUERY, EmployeeIndex, type EmployeeQuery } from '../../../../renderer/lib/employee-index';
import { makeEmployee } from '../support/fake-portal';
import { randomSource } from '../support/random-source';

/*
 * A `changedSince` delta applied to the index (reopening Manage Employees) against the rules written
 * plainly: the deleted rows and the rows that changed leave, the changes that are not older than the
 * row held come back in name order, and the result searches, filters and counts exactly as an index
 * built afresh from the same rows. Deltas are applied one after another, as reopening again does.
 */

const FIRST = ['Ada', 'Émile', 'Zoë', 'José', 'Maria', 'Sam', 'Bea'];
const LAST = ['Smith', 'Garcia', 'Müller', 'Chen', 'Smithson', 'Lee', 'Ng', 'Adams', 'Zimmer'];
const ROLES: Role[] = ['admin', 'business', 'sales', 'tech'];
const STATUSES: Employee['twoFactor']['status'][] = ['active', 'pending', 'not_enrolled'];
/** Numbers the attention flags tell apart: a cell phone, a UK landline, none. */
const NUMBERS = ['+447700900123', '+442079460000', null];

function randomEmployee(random: () => number, id: string, version = 1): Employee {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const firstName = pick(FIRST);
  const lastName = pick(LAST);
  const status = pick(STATUSES);
  return makeEmployee({
    id,
    firstName,
    lastName,
    email: `${firstName}.${lastName}.${id}@acme.test`.toLowerCase(),
    role: pick(ROLES),
    cellPhone: pick(NUMBERS),
    twoFactor: status === 'not_enrolled' ? { status, method: null } : { status, method: 'sms' },
    version,
  });
}

/** The delta's rules, plainly: what the rows should be afterwards. */
function applied(rows: readonly Employee[], changed: readonly Employee[], deleted: readonly string[]): Employee[] {
  const held = new Map(rows.map((row) => [row.id, row]));
  const leaving = new Set(deleted);
  const accepted: Employee[] = [];
  for (const employee of changed) {
    if (leaving.has(employee.id)) continue;
    if ((held.get(employee.id)?.version ?? 0) > employee.version) continue;
    accepted.push(employee);
    leaving.add(employee.id);
  }
  return insertInNameOrder(
    rows.filter((row) => !leaving.has(row.id)),
    accepted,
  );
}

function rowsOf(index: EmployeeIndex): Employee[] {
  return Array.from({ length: index.size }, (_, position) => index.at(position));
}

const QUERIES: Partial<EmployeeQuery>[] = [
  { text: 'smith' },
  { text: 'ma' },
  { text: 'acme.test' },
  { text: '7946' },
  { needsAttention: true },
  { role: 'sales', status: 'pending' },
  { sort: 'role', order: 'desc' },
  { text: 'e', sort: 'cellPhone' },
];

describe('EmployeeIndex.withChanges', () => {
  it.each([1, 2, 3, 4, 5])('gives the rows, positions, counts and search results of an index built afresh, delta after delta (seed %i)', (seed) => {
    const random = randomSource(seed);
    let sequence = 0;
    let rows = Array.from({ length: 400 }, () => randomEmployee(random, `e-${seed}-${sequence++}`)).sort(compareByName);
    let index = new EmployeeIndex();
    for (let start = 0; start < rows.length; start += 100) index.append(rows.slice(start, start + 100));
    for (let round = 0; round < 12; round++) {
      const changed: Employee[] = [];
      const deleted: string[] = [];
      const count = Math.floor(random() * 25);
      for (let k = 0; k < count; k++) {
        const kind = random();
        const held = rows[Math.floor(random() * rows.length)];
        if (held === undefined || kind < 0.25) changed.push(randomEmployee(random, `e-${seed}-${sequence++}`));
        else if (kind < 0.5) deleted.push(held.id);
        // Renamed and renumbered (it moves in name order), the same version again, or older than held.
        else if (kind < 0.8) changed.push(randomEmployee(random, held.id, held.version + 1));
        else if (kind < 0.9) changed.push(randomEmployee(random, held.id, held.version));
        else changed.push(randomEmployee(random, held.id, held.version - 1));
      }
      // Changed and deleted in the same delta; an id the index never held deleted.
      if (changed.length > 0 && random() < 0.3) deleted.push(changed[0]!.id);
      deleted.push(`e-${seed}-gone-${round}`);

      const before = rowsOf(index);
      const next = index.withChanges(changed, deleted);
      const expected = applied(rows, changed, deleted);
      expect(rowsOf(next).map((row) => `${row.id}@${row.version}`)).toEqual(expected.map((row) => `${row.id}@${row.version}`));
      expect(rowsOf(next)).toEqual(expected);
      // The index it was made from is unchanged.
      expect(rowsOf(index)).toEqual(before);

      const fresh = new EmployeeIndex();
      fresh.append(expected);
      expect(next.attentionCount, `round ${round}`).toBe(fresh.attentionCount);
      for (const patch of QUERIES) {
        const query = { ...DEFAULT_QUERY, ...patch };
        expect(Array.from(next.filter(query)), JSON.stringify(patch)).toEqual(Array.from(fresh.filter(query)));
      }
      // Every second round, the new index is looked up by id before the next delta (a save).
      if (round % 2 === 1) {
        expected.forEach((row, position) => expect(next.positionOf(row.id)).toBe(position));
        const saved = expected[Math.floor(random() * expected.length)];
        if (saved !== undefined) {
          const newer = Object.freeze({ ...saved, cellPhone: '+447700900999', version: saved.version + 1 });
          expect(next.replace(newer)).toBe(true);
          expected[expected.indexOf(saved)] = newer;
          expect(next.at(next.positionOf(saved.id)!)).toBe(newer);
        }
      }
      expect(next.positionOf(`e-${seed}-gone-${round}`)).toBeUndefined();
      index = next;
      rows = expected;
    }
  });

  it('appends a page to an index made by a delta, replacing a row it holds', () => {
    const random = randomSource(9);
    const rows = Array.from({ length: 50 }, (_, k) => randomEmployee(random, `a-${k}`)).sort(compareByName);
    const index = new EmployeeIndex();
    index.append(rows);
    const next = index.withChanges([], [rows[3]!.id]);
    const again = Object.freeze({ ...rows[10]!, cellPhone: null, version: 5 });
    next.append([again, randomEmployee(random, 'a-new')]);
    expect(next.size).toBe(50);
    expect(next.at(next.positionOf('a-new')!).id).toBe('a-new');
    expect(next.at(next.positionOf(again.id)!)).toBe(again);
    expect(next.filter({ ...DEFAULT_QUERY, needsAttention: true })).toContain(next.positionOf(again.id));
  });
});
