/**
 * The offline copies a worker thread keeps (snapshot-worker.ts): after `open-resident` the decoded
 * employees stay here, and main holds only the header. So opening a 100,000-employee copy builds no
 * employee in main's heap (whose young-generation collections of them were the open's longest
 * pauses), a write needs no employee sent from main, and main reads the copy a page at a time.
 *
 * Arrays are replaced, never changed in place: a page read that pinned the rows, or a write in
 * progress, keeps the version it started from.
 */
import type { Employee } from '../../../common/api';
import { insertInNameOrder } from '../../../common/api/employee-order';
import { encodeEmployeeRows } from '../../../common/ipc/employee-rows';
import { writeFileAtomically } from '../infra/atomic-file';
import { sealInParts } from './sealed-box';
import type { ResidentChange, SnapshotRequest, SnapshotResponse } from './snapshot-messages';
import type { Snapshot } from './snapshot-schema';

interface ResidentCopy {
  items: readonly Employee[];
  /** Positions by id, made at the first merge (not at the open: 100,000 entries). */
  byId: Map<string, number> | null;
  /** The rows a read by pages started from. */
  pinned: readonly Employee[] | null;
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

export function keepResident(id: number, items: readonly Employee[]): void {
  copies.set(id, { items, byId: null, pinned: null });
}

function merge(copy: ResidentCopy, items: readonly Employee[]): void {
  if (items.length === 0) return;
  let next = [...copy.items];
  copy.byId ??= new Map(copy.items.map((employee, position) => [employee.id, position]));
  const byId = copy.byId;
  const added = new Map<string, Employee>();
  for (const employee of items) {
    const position = byId.get(employee.id);
    if (position === undefined) {
      const seen = added.get(employee.id);
      if (!seen || seen.version <= employee.version) added.set(employee.id, employee);
    } else if (next[position]!.version <= employee.version) next[position] = employee;
  }
  // New employees go where the portal's name order puts them (the grid reads the copy in order).
  if (added.size > 0) {
    next = insertInNameOrder(next, [...added.values()]);
    copy.byId = null;
  }
  copy.items = next;
}

function change(copy: ResidentCopy, update: ResidentChange): void {
  if (update.kind === 'merge') merge(copy, update.items);
  else if (update.kind === 'delete') {
    const gone = new Set(update.ids);
    if (gone.size === 0) return;
    copy.items = copy.items.filter((employee) => !gone.has(employee.id));
    copy.byId = null;
  } else {
    copy.items = update.kind === 'replace' ? [...update.items] : [...copy.items, ...update.items];
    copy.byId = null;
  }
}

function page(copy: ResidentCopy, offset: number, limit: number, pin: boolean): { items: Employee[]; total: number } {
  let read = copy.items;
  if (pin) {
    if (offset === 0 || copy.pinned === null) copy.pinned = copy.items;
    read = copy.pinned;
    if (offset + limit >= read.length) copy.pinned = null;
  }
  return { items: read.slice(offset, offset + limit), total: read.length };
}

function newestUpdate(items: readonly Employee[]): string | null {
  let newest: string | null = null;
  for (const employee of items) if (newest === null || employee.updatedAt > newest) newest = employee.updatedAt;
  return newest;
}

/** The same text as JSON.stringify({...header, items}), a part at a time. */
function* documentParts(header: Omit<Snapshot, 'items'>, items: readonly Employee[]): Generator<string> {
  yield `${JSON.stringify(header).slice(0, -1)},"items":[`;
  for (let from = 0; from < items.length; from += WRITE_PART) {
    yield `${from === 0 ? '' : ','}${JSON.stringify(items.slice(from, from + WRITE_PART)).slice(1, -1)}`;
  }
  yield ']}';
}

async function sealCopy(request: Extract<SnapshotRequest, { type: 'seal-copy' }>): Promise<SnapshotResponse> {
  const key = Buffer.from(request.key.buffer, request.key.byteOffset, request.key.byteLength);
  try {
    // The rows as they are now: changes arriving during the write replace the array, never this one.
    const items = copyOf(request.copy).items;
    const sealed = await sealInParts(key, () => documentParts(request.header, items), request.associatedData, request.generation, pause);
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
      return { id: request.id, type: 'changed', size: copy.items.length };
    }
    case 'page': {
      const { items, total } = page(copyOf(request.copy), request.offset, request.limit, request.pin);
      return request.asRows ? { id: request.id, type: 'page-rows', rows: encodeEmployeeRows(items), total } : { id: request.id, type: 'page', items, total };
    }
    case 'summary': {
      const { items } = copyOf(request.copy);
      return { id: request.id, type: 'summary', size: items.length, newestUpdate: newestUpdate(items) };
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
