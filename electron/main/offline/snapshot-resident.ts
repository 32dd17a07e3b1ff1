/**
 * The offline copies a worker thread keeps (snapshot-worker.ts): after `open-resident` the rows
 * stay here, and main holds only the header. So opening a 100,000-employee copy builds no
 * employee in main's heap (whose young-generation collections of them were the open's longest
 * pauses), a write needs no employee sent from main, and main reads the copy a page at a time.
 *
 * The rows are kept as row strings (common/ipc/employee-rows.ts), as the file holds them: a page for
 * the window is a slice of them joined, a write joins them all, and only the rows a change touches
 * are read as employees. Arrays are replaced, never changed in place: a page read that pinned the
 * rows, or a write in progress, keeps the version it started from.
 */
import type { Employee } from '../../../common/api';
import { compareByName } from '../../../common/api/employee-order';
import { decodeEmployeeRow, decodeEmployeeRows, employeeRowId, employeeRowsInParts, encodeEmployeeRow, joinEmployeeRows } from '../../../common/ipc/employee-rows';
import { writeFileAtomically } from '../infra/atomic-file';
import { sealInParts } from './sealed-box';
import type { ResidentChange, SnapshotRequest, SnapshotResponse } from './snapshot-messages';
import type { SnapshotHeader } from './snapshot-schema';

interface ResidentCopy {
  /** Each employee as a row string (encodeEmployeeRow), in the portal's name order. */
  rows: readonly string[];
  /** Positions by id, made at the first merge (not at the open: 100,000 entries). */
  byId: Map<string, number> | null;
  /** The rows a read by pages started from. */
  pinned: readonly string[] | null;
}

/** Employees per part of a write (a pause between parts lets page reads through). */
const WRITE_PART = 2_000;
const copies = new Map<number, ResidentCopy>();
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

export class NoSuchCopyError extends Error {
  readonly code = 'no_copy';
  constructor() {
    super('the worker does not hold this offline copy (it was restarted)');
  }
}

function copyOf(id: number): ResidentCopy {
  const copy = copies.get(id);
  if (!copy) throw new NoSuchCopyError();
  return copy;
}

export function keepResident(id: number, rows: readonly string[]): void {
  copies.set(id, { rows, byId: null, pinned: null });
}

/** Where `employee` goes in `rows` (name order): after every row that does not come after it. */
function placeOf(rows: readonly string[], employee: Employee): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareByName(employee, decodeEmployeeRow(rows[middle]!)) < 0) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** `rows` with the `added` employees put in their places in name order. */
function insertInNameOrder(rows: readonly string[], added: readonly Employee[]): string[] {
  const incoming = [...added].sort(compareByName);
  const out: string[] = [];
  let from = 0;
  for (const employee of incoming) {
    const place = placeOf(rows, employee);
    for (; from < place; from++) out.push(rows[from]!);
    out.push(encodeEmployeeRow(employee));
  }
  for (; from < rows.length; from++) out.push(rows[from]!);
  return out;
}

function merge(copy: ResidentCopy, items: readonly Employee[]): void {
  if (items.length === 0) return;
  let next = [...copy.rows];
  copy.byId ??= new Map(copy.rows.map((row, position) => [employeeRowId(row), position]));
  const byId = copy.byId;
  const added = new Map<string, Employee>();
  for (const employee of items) {
    const position = byId.get(employee.id);
    if (position === undefined) {
      const seen = added.get(employee.id);
      if (!seen || seen.version <= employee.version) added.set(employee.id, employee);
    } else if (decodeEmployeeRow(next[position]!).version <= employee.version) next[position] = encodeEmployeeRow(employee);
  }
  // New employees go where the portal's name order puts them (the grid reads the copy in order).
  if (added.size > 0) {
    next = insertInNameOrder(next, [...added.values()]);
    copy.byId = null;
  }
  copy.rows = next;
}

function change(copy: ResidentCopy, update: ResidentChange): void {
  if (update.kind === 'merge') merge(copy, update.items);
  else if (update.kind === 'delete') {
    const gone = new Set(update.ids);
    if (gone.size === 0) return;
    copy.rows = copy.rows.filter((row) => !gone.has(employeeRowId(row)));
    copy.byId = null;
  } else {
    const rows = update.items.map(encodeEmployeeRow);
    copy.rows = update.kind === 'replace' ? rows : [...copy.rows, ...rows];
    copy.byId = null;
  }
}

function page(copy: ResidentCopy, offset: number, limit: number, pin: boolean): { rows: string[]; total: number } {
  let read = copy.rows;
  if (pin) {
    if (offset === 0 || copy.pinned === null) copy.pinned = copy.rows;
    read = copy.pinned;
    if (offset + limit >= read.length) copy.pinned = null;
  }
  return { rows: read.slice(offset, offset + limit), total: read.length };
}

function newestUpdate(rows: readonly string[]): string | null {
  let newest: string | null = null;
  for (const row of rows) {
    const { updatedAt } = decodeEmployeeRow(row);
    if (newest === null || updatedAt > newest) newest = updatedAt;
  }
  return newest;
}

/**
 * The same text as JSON.stringify({...header, rows: joinEmployeeRows(rows)}), a part at a time (a
 * JSON string's escaped parts, joined, are the whole string escaped).
 */
function* documentParts(header: SnapshotHeader, rows: readonly string[]): Generator<string> {
  yield `${JSON.stringify(header).slice(0, -1)},"rows":"`;
  for (const part of employeeRowsInParts(rows, WRITE_PART)) yield JSON.stringify(part).slice(1, -1);
  yield '"}';
}

async function sealCopy(request: Extract<SnapshotRequest, { type: 'seal-copy' }>): Promise<SnapshotResponse> {
  const key = Buffer.from(request.key.buffer, request.key.byteOffset, request.key.byteLength);
  try {
    // The rows as they are now: changes arriving during the write replace the array, never this one.
    const { rows } = copyOf(request.copy);
    const sealed = await sealInParts(key, () => documentParts(request.header, rows), request.associatedData, request.generation, pause);
    writeFileAtomically(request.file, sealed.text);
    return { id: request.id, type: 'sealed', iv: sealed.iv, bytes: sealed.text.length };
  } finally {
    key.fill(0);
  }
}

/** Answers a request about a kept copy; null when `request` is not one. */
export function answerResident(request: SnapshotRequest): SnapshotResponse | Promise<SnapshotResponse> | null {
  switch (request.type) {
    case 'change': {
      // A whole new list makes the copy (a new one, or one this worker never held).
      if (request.change.kind === 'replace' && !copies.has(request.copy)) keepResident(request.copy, []);
      const copy = copyOf(request.copy);
      change(copy, request.change);
      return { id: request.id, type: 'changed', size: copy.rows.length };
    }
    case 'page': {
      const { rows, total } = page(copyOf(request.copy), request.offset, request.limit, request.pin);
      // Rows as they are kept for the window; employees (made afresh: the caller's to change) for main.
      const block = joinEmployeeRows(rows);
      return request.asRows ? { id: request.id, type: 'page-rows', rows: block, total } : { id: request.id, type: 'page', items: decodeEmployeeRows(block), total };
    }
    case 'summary': {
      const { rows } = copyOf(request.copy);
      return { id: request.id, type: 'summary', size: rows.length, newestUpdate: newestUpdate(rows) };
    }
    case 'seal-copy':
      return sealCopy(request);
    case 'close':
      copies.delete(request.copy);
      return { id: request.id, type: 'closed' };
    default:
      return null;
  }
}
