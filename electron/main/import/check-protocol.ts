import { newIdempotencyKey, readLookupColumns, type LookupEmployee } from '../../../common/api';
import { IpcFailure } from '../../../common/ipc';
import { MESSAGES } from '../infra/portal-errors';
import { plannedChange, type PlannedChange } from './check';
import { IMPORT_REPORT_LIMIT, type ImportActivity, type ImportProblemCode, type ImportProblemParams } from '../../../common/ipc/import-channels';
import type { CsvEncoding } from './decode';
import type { CsvTable } from './read-csv';

/**
 * The messages between main and the check worker. Main sends the file's bytes and, for each lookup
 * the worker asks for, the portal's answer as bytes; the worker does the rest (decode, parse, read
 * the answers, match, validate) and answers a packed result.
 */
export type ToCheckWorker =
  | { type: 'check'; bytes: ArrayBuffer; companyCountry: string | null }
  /** The portal's answer to lookup `index` (POST /employees/lookup/columns), unparsed. */
  | { type: 'answer'; index: number; bytes: ArrayBuffer };

export type FromCheckWorker =
  /** The worker's code has loaded (a failure before this one means it could not start). */
  | { type: 'ready' }
  | { type: 'reading'; encoding: CsvEncoding; delimiter: CsvTable['delimiter']; rows: number }
  /** The lookups to send, in order: each a JSON body for POST /employees/lookup/columns and how many keys it asks for. */
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
  changes: PackedChanges;
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
type PackedChange = [row: number, newPhone: string, warning: PlannedChange['warning'], employee: LookupEmployee];

/**
 * The changes of a check, compact: per change its row, its new number, its warning and where its
 * employee is among the portal's lookup answers (main keeps the answers' bytes as they arrive: they
 * build up in main's memory over the check rather than land there at once at its end). Packing is then a few typed arrays, not 100,000 employees
 * written out as JSON; a change's employee is read from its answer when main unpacks the change.
 * The first IMPORT_REPORT_LIMIT changes are also packed whole, so the window's rows are read
 * without parsing any answer.
 */
export interface PackedChanges {
  rows: Uint32Array;
  /** The new numbers (E.164), one after the other; `phoneEnds[i]` is where change i's ends. */
  newPhones: string;
  phoneEnds: Uint32Array;
  /** 1: the landline warning. */
  isLandline: Uint8Array;
  /** Each change's employee: which lookup answer, and which employee of it (position in its columns). */
  answer: Uint32Array;
  item: Uint32Array;
  /** The portal's answer to each lookup, unparsed, by request index (set by main; empty as the worker sends it). */
  answers: Uint8Array[];
  /** The first IMPORT_REPORT_LIMIT changes as PackedChange items. */
  first: PackedList;
}

const utf8 = new TextDecoder();

/** The employees in one lookup answer; an answer that is not what the portal sends is a `server` failure. */
export function readLookupAnswer(bytes: Uint8Array): LookupEmployee[] {
  let body: unknown;
  try {
    body = JSON.parse(utf8.decode(bytes));
  } catch {
    body = undefined;
  }
  const employees = readLookupColumns(body);
  if (!employees) throw new IpcFailure('server', MESSAGES.not_understood);
  return employees;
}

/** Where an employee was read: the lookup answer and its position among the answer's items. */
export interface AnswerPlace {
  answer: number;
  item: number;
}

/** Packs the changes; `placeOf` tells where each change's employee is among the lookup answers. */
export function packChanges(changes: readonly PlannedChange[], placeOf: (employee: LookupEmployee) => AnswerPlace): PackedChanges {
  const count = changes.length;
  const packed: PackedChanges = {
    rows: new Uint32Array(count),
    newPhones: changes.map((change) => change.newPhone).join(''),
    phoneEnds: new Uint32Array(count),
    isLandline: new Uint8Array(count),
    answer: new Uint32Array(count),
    item: new Uint32Array(count),
    answers: [],
    first: packList(changes.slice(0, IMPORT_REPORT_LIMIT).map((change): PackedChange => [change.row, change.newPhone, change.warning, change.employee])),
  };
  let phoneEnd = 0;
  changes.forEach((change, index) => {
    const place = placeOf(change.employee);
    phoneEnd += change.newPhone.length;
    packed.phoneEnds[index] = phoneEnd;
    packed.rows[index] = change.row;
    packed.isLandline[index] = change.warning === 'landline' ? 1 : 0;
    packed.answer[index] = place.answer;
    packed.item[index] = place.item;
  });
  return packed;
}

/** The buffers a PackedChanges holds, to transfer it. */
export function changeBuffers(changes: PackedChanges): ArrayBuffer[] {
  const arrays = [changes.rows, changes.phoneEnds, changes.isLandline, changes.answer, changes.item, changes.first.bytes, changes.first.ends];
  return arrays.map((array) => array.buffer as ArrayBuffer);
}

export function changeCount(changes: PackedChanges): number {
  return changes.rows.length;
}

/** The lookup answers read while unpacking, by request index: pass one map to a run of unpackChanges calls. */
export type ReadAnswers = Map<number, LookupEmployee[]>;

/**
 * Changes `from` to `to` (exclusive), each with a new idempotency key (unpack each change once, for
 * Apply). Beyond the first IMPORT_REPORT_LIMIT, a change's employee is read from its lookup answer
 * (parsed once per `read` map).
 */
export function unpackChanges(changes: PackedChanges, from: number, to: number, read: ReadAnswers = new Map()): PlannedChange[] {
  const end = Math.min(to, changeCount(changes));
  const firstCount = packedLength(changes.first);
  const unpacked = unpackRange<PackedChange>(changes.first, from, Math.min(end, firstCount)).map(([row, newPhone, warning, employee]) => plannedChange(row, employee, newPhone, warning, newIdempotencyKey()));
  if (end <= firstCount) return unpacked;
  for (let index = Math.max(from, firstCount); index < end; index++) {
    const answer = changes.answer[index]!;
    let employees = read.get(answer);
    if (!employees) {
      employees = readLookupAnswer(changes.answers[answer]!);
      read.set(answer, employees);
    }
    const employee = employees[changes.item[index]!]!;
    const newPhone = changes.newPhones.slice(index === 0 ? 0 : changes.phoneEnds[index - 1], changes.phoneEnds[index]);
    unpacked.push(plannedChange(changes.rows[index]!, employee, newPhone, changes.isLandline[index] === 1 ? 'landline' : null, newIdempotencyKey()));
  }
  return unpacked;
}
