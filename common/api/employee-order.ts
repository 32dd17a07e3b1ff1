import type { Employee } from './employee';

/**
 * The portal's list order (`sort=name`): last name, first name, then id, compared as plain strings.
 * The grid keeps its rows in this order and the offline copy does too, so rows added by a
 * `changedSince` delta land where a full reload would put them.
 */
export function compareByName(a: Pick<Employee, 'lastName' | 'firstName' | 'id'>, b: Pick<Employee, 'lastName' | 'firstName' | 'id'>): number {
  if (a.lastName !== b.lastName) return a.lastName < b.lastName ? -1 : 1;
  if (a.firstName !== b.firstName) return a.firstName < b.firstName ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** `rows` (in name order) with `added` put in their places; neither is changed. */
export function insertInNameOrder<T extends Pick<Employee, 'lastName' | 'firstName' | 'id'>>(rows: readonly T[], added: readonly T[]): T[] {
  const incoming = [...added].sort(compareByName);
  const out: T[] = [];
  let next = 0;
  for (const row of rows) {
    while (next < incoming.length && compareByName(incoming[next]!, row) < 0) out.push(incoming[next++]!);
    out.push(row);
  }
  while (next < incoming.length) out.push(incoming[next++]!);
  return out;
}
