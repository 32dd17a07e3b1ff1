import { newIdempotencyKey, type Employee } from '../../../common/api';
import { plannedChange, type PlannedChange } from './check';
import type { ImportActivity, ImportProblemCode, ImportProblemParams } from '../../../common/ipc/import-channels';
import type { CsvEncoding } from './decode';
import type { CsvTable } from './read-csv';

/**
 * The messages between main and the check worker. Main sends the file's bytes and, for each lookup
 * the worker asks for, the portal's answer as bytes; the worker does the rest (decode, parse, read
 * the answers, match, validate) and answers a packed result.
 */
export type ToCheckWorker =
  | { type: 'check'; bytes: ArrayBuffer; companyCountry: string | null }
  /** The portal's answer to lookup `index` (POST /employees/lookup), unparsed. */
  | { type: 'answer'; index: number; bytes: ArrayBuffer };

export type FromCheckWorker =
  /** The worker's code has loaded (a failure before this one means it could not start). */
  | { type: 'ready' }
  | { type: 'reading'; encoding: CsvEncoding; delimiter: CsvTable['delimiter']; rows: number }
  /** The lookups to send, in order: each a JSON body for POST /employees/lookup and how many keys it asks for. */
  | { type: 'lookups'; bodies: string[]; keyCounts: number[] }
  | { type: 'progress'; activity: ImportActivity; done: number; total: number }
  | { type: 'checked'; result: PackedCheck }
  /** The file cannot be checked (an ImportFileProblem), or an answer was not understood (`request_failed`). */
  | { type: 'problem'; code: ImportProblemCode; message: string; params: ImportProblemParams }
  | { type: 'failed'; message: string };

/**
 * Items as JSON in one buffer (transferred to main, never copied): main's heap holds none of them
 * until they are read, so a 100,000-row result costs main's garbage collector nothing to keep.
 */
export interface PackedList {
  bytes: Uint8Array;
  /** Where each item's JSON ends in `bytes` (items are separated by a comma). */
  ends: Uint32Array;
}

export interface PackedCheck {
  unchanged: number;
  /** The changes as PackedChange items (see packChanges). */
  changes: PackedList;
  /** ImportError items, sorted by row. */
  errors: PackedList;
}

export function packList(items: readonly unknown[]): PackedList {
  const texts = items.map((item) => JSON.stringify(item));
  let length = Math.max(0, texts.length - 1);
  for (const text of texts) length += Buffer.byteLength(text);
  const bytes = new Uint8Array(length);
  const ends = new Uint32Array(texts.length);
  const encoder = new TextEncoder();
  let at = 0;
  texts.forEach((text, index) => {
    if (index > 0) bytes[at++] = 0x2c; // ","
    at += encoder.encodeInto(text, bytes.subarray(at)).written;
    ends[index] = at;
  });
  return { bytes, ends };
}

export function packedLength(list: PackedList): number {
  return list.ends.length;
}

/** Items `from` to `to` (exclusive) of a packed list. */
export function unpackRange<T>(list: PackedList, from: number, to: number): T[] {
  const end = Math.min(to, list.ends.length);
  if (from >= end) return [];
  const start = from === 0 ? 0 : list.ends[from - 1]! + 1;
  return JSON.parse(`[${new TextDecoder().decode(list.bytes.subarray(start, list.ends[end - 1]))}]`) as T[];
}

/** A change as packed: what `plannedChange` is made from, less its idempotency key. */
type PackedChange = [row: number, newPhone: string, warning: PlannedChange['warning'], employee: Employee];

/** The changes, packed without what each repeats of its employee (name, email, old number, version) nor its key. */
export function packChanges(changes: readonly PlannedChange[]): PackedList {
  return packList(changes.map((change): PackedChange => [change.row, change.newPhone, change.warning, change.employee]));
}

/** Changes `from` to `to` (exclusive), each with a new idempotency key (unpack each change once, for Apply). */
export function unpackChanges(list: PackedList, from: number, to: number): PlannedChange[] {
  return unpackRange<PackedChange>(list, from, to).map(([row, newPhone, warning, employee]) => plannedChange(row, employee, newPhone, warning, newIdempotencyKey()));
}
