import { Worker } from 'node:worker_threads';
import type { Employee } from '../../../common/api';
import type { Logger } from '../log';
import { deepFreeze, type UnreadableReason } from './sealed-document';
import type { ResidentChange, SnapshotRequest, SnapshotResponse } from './snapshot-messages';
import type { Snapshot } from './snapshot-schema';
import { snapshotWorkerFile } from './snapshot-worker-file';

/**
 * Main's side of the offline copy's worker thread (snapshot-worker.ts). A write hands the employees
 * to the worker a slice per event-loop turn (structured clones, serialized outside the JavaScript
 * heap), and the worker makes the JSON, seals it and writes it durably; an open comes back as slices
 * of employees, one message each. So main never holds its event loop for more than a slice (a few
 * milliseconds at any size). A write leaves no garbage on main (its JSON text, 40 MB at 100,000
 * employees, set off main's longest garbage collections when it was made here). `open` builds every
 * employee in main's heap (young-generation collections of them were its longest pauses); the app
 * uses `openResident` instead, which keeps them in the worker (snapshot-resident.ts).
 *
 * If the worker fails or exits, the calls in flight fail with `SnapshotWorkerError` (the file on
 * disk is untouched: the worker writes through a temporary file and a rename) and the next call
 * starts a new worker.
 */
export type SnapshotOpened =
  | { kind: 'opened'; snapshot: Snapshot; generation: number; isMigrated: boolean }
  /** The file could not be read (permissions, a disk error): it stays where it is. */
  | { kind: 'unreadable_file'; code: string }
  /** The file was read but cannot be used: the caller keeps it aside. */
  | { kind: 'unusable'; reason: UnreadableReason; detail: string };

/** A copy opened to stay in the worker (`copy` names it in later calls). */
export type ResidentOpened =
  | { kind: 'opened'; copy: number; header: Omit<Snapshot, 'items'>; generation: number; isMigrated: boolean; size: number }
  | { kind: 'unreadable_file'; code: string }
  | { kind: 'unusable'; reason: UnreadableReason; detail: string };

/**
 * A copy kept in the worker (snapshot-resident.ts). Calls are answered in the order they are made.
 * A worker that stopped (or was started again) fails them with `SnapshotWorkerError`; one started
 * again does not know the copy (code `no_copy`), and the caller opens the file again.
 */
export interface ResidentCopies {
  /** A name for a new, empty copy (no message: its first change, a `replace`, makes it in the worker). */
  newCopy(): number;
  openResident(request: { file: string; key: Buffer; associatedData: string }): Promise<ResidentOpened>;
  /** Resolves with the copy's size after the change. */
  change(copy: number, change: ResidentChange): Promise<number>;
  page(copy: number, offset: number, limit: number, pin: boolean): Promise<{ items: Employee[]; total: number }>;
  summary(copy: number): Promise<{ size: number; newestUpdate: string | null }>;
  /**
   * Durable before it resolves: the copy's employees as they are when the call reaches the worker
   * (`posted`: the call is on its way, so a later call comes after it; the worker still answers
   * page reads while it writes).
   */
  sealCopy(copy: number, request: { header: Omit<Snapshot, 'items'>; file: string; key: Buffer; associatedData: string; generation: number | undefined }, posted?: () => void): Promise<{ iv: string; bytes: number }>;
  close(copy: number): Promise<void>;
}

export interface SnapshotSealer extends ResidentCopies {
  /** Durable before it resolves. */
  write(request: { file: string; key: Buffer; associatedData: string; generation: number | undefined; value: Snapshot }): Promise<{ iv: string; bytes: number }>;
  open(request: { file: string; key: Buffer; associatedData: string }): Promise<SnapshotOpened>;
  /** Ends the worker (after the calls in flight). */
  dispose(): Promise<void>;
}

export class SnapshotWorkerError extends Error {
  constructor(
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'SnapshotWorkerError';
  }
}

export interface SnapshotSealerOptions {
  log: Logger;
  /** Employees per slice (a message each way). */
  sliceSize?: number;
  /** Where the worker's code is (tests); default: snapshotWorkerFile(). */
  workerFile?: () => Promise<string | URL>;
}

interface Pending {
  resolve: (response: SnapshotResponse) => void;
  reject: (error: Error) => void;
  items: Employee[];
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The key for one request: a copy whose memory moves to the worker, so main keeps no second copy. */
function keyForWorker(key: Buffer): Uint8Array {
  return new Uint8Array(key);
}

export function createSnapshotSealer(options: SnapshotSealerOptions): SnapshotSealer {
  const sliceSize = options.sliceSize ?? 1_000;
  let worker: Promise<Worker> | null = null;
  let nextId = 0;
  const pending = new Map<number, Pending>();
  const inFlight = new Set<Promise<SnapshotResponse>>();

  function failAll(error: Error): void {
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
  }

  function start(): Promise<Worker> {
    worker ??= (async () => {
      const started = new Worker(await (options.workerFile ?? snapshotWorkerFile)());
      // Idle, the worker does not keep the process alive; a call in flight does.
      started.unref();
      started.on('message', (response: SnapshotResponse) => {
        const entry = pending.get(response.id);
        if (!entry) return;
        if (response.type === 'items') {
          // Frozen as it arrives: what `read` hands out cannot be changed in memory without a write.
          for (const item of response.items) entry.items.push(deepFreeze(item));
          // The next slice after a turn of the event loop: IPC calls waiting meanwhile are answered first.
          setImmediate(() => started.postMessage({ id: response.id, type: 'more' } satisfies SnapshotRequest));
          return;
        }
        pending.delete(response.id);
        if (pending.size === 0) started.unref();
        entry.resolve(response);
      });
      const stop = (error: Error) => {
        if (worker === current) worker = null;
        failAll(error);
      };
      started.on('error', (error) => {
        options.log.warn('offline: the offline copy’s worker failed', { error });
        stop(new SnapshotWorkerError(`the worker failed: ${error.message}`));
      });
      started.on('exit', (code) => stop(new SnapshotWorkerError(`the worker exited (${code})`)));
      return started;
    })();
    const current = worker;
    // A worker that cannot start: the next call tries again.
    current.catch(() => {
      if (worker === current) worker = null;
    });
    return current;
  }

  function expect(running: Worker, id: number): Promise<SnapshotResponse> & { items: Employee[] } {
    const items: Employee[] = [];
    const answer = new Promise<SnapshotResponse>((resolve, reject) => pending.set(id, { resolve, reject, items }));
    running.ref();
    // Failures are read by the caller; meanwhile a rejection is not "unhandled".
    inFlight.add(answer);
    answer.catch(() => undefined).finally(() => inFlight.delete(answer));
    return Object.assign(answer, { items });
  }

  /** One request, one answer. */
  async function ask(request: (id: number) => SnapshotRequest, transfer: ArrayBuffer[] = [], posted?: () => void): Promise<SnapshotResponse> {
    const running = await start();
    const id = ++nextId;
    const answer = expect(running, id);
    running.postMessage(request(id), transfer);
    posted?.();
    return answer;
  }

  function failed(response: SnapshotResponse): never {
    if (response.type === 'failed') throw new SnapshotWorkerError(response.message, response.code);
    throw new SnapshotWorkerError(`unexpected answer ${response.type}`);
  }

  return {
    async write({ file, key, associatedData, generation, value }) {
      const running = await start();
      const id = ++nextId;
      const answer = expect(running, id);
      const post = (request: SnapshotRequest, transfer: ArrayBuffer[] = []) => running.postMessage(request, transfer);
      const { items, ...header } = value;
      // A slice of employees per event-loop turn, cloned for the worker outside the JavaScript heap.
      for (let from = 0; from < items.length && pending.has(id); from += sliceSize) {
        post({ id, type: 'chunk', items: items.slice(from, from + sliceSize) });
        await nextTurn();
      }
      const keyCopy = keyForWorker(key);
      post({ id, type: 'seal', header, file, key: keyCopy, associatedData, generation }, [keyCopy.buffer as ArrayBuffer]);
      const response = await answer;
      if (response.type !== 'sealed') failed(response);
      return { iv: response.iv, bytes: response.bytes };
    },

    async open({ file, key, associatedData }) {
      const running = await start();
      const id = ++nextId;
      const answer = expect(running, id);
      const keyCopy = keyForWorker(key);
      running.postMessage({ id, type: 'open', file, key: keyCopy, associatedData, sliceSize } satisfies SnapshotRequest, [keyCopy.buffer as ArrayBuffer]);
      const response = await answer;
      if (response.type === 'opened') return { kind: 'opened', snapshot: { ...response.header, items: answer.items }, generation: response.generation, isMigrated: response.isMigrated };
      if (response.type === 'unreadable_file') return { kind: 'unreadable_file', code: response.code };
      if (response.type === 'unusable') return { kind: 'unusable', reason: response.reason, detail: response.detail };
      return failed(response);
    },

    newCopy: () => ++nextId,

    async openResident({ file, key, associatedData }) {
      const keyCopy = keyForWorker(key);
      const response = await ask((id) => ({ id, type: 'open-resident', file, key: keyCopy, associatedData }), [keyCopy.buffer as ArrayBuffer]);
      if (response.type === 'resident') return { kind: 'opened', copy: response.id, header: response.header, generation: response.generation, isMigrated: response.isMigrated, size: response.size };
      if (response.type === 'unreadable_file') return { kind: 'unreadable_file', code: response.code };
      if (response.type === 'unusable') return { kind: 'unusable', reason: response.reason, detail: response.detail };
      return failed(response);
    },

    async change(copy, change) {
      const response = await ask((id) => ({ id, type: 'change', copy, change }));
      return response.type === 'changed' ? response.size : failed(response);
    },

    async page(copy, offset, limit, pin) {
      const response = await ask((id) => ({ id, type: 'page', copy, offset, limit, pin }));
      return response.type === 'page' ? { items: response.items, total: response.total } : failed(response);
    },

    async summary(copy) {
      const response = await ask((id) => ({ id, type: 'summary', copy }));
      return response.type === 'summary' ? { size: response.size, newestUpdate: response.newestUpdate } : failed(response);
    },

    async sealCopy(copy, { header, file, key, associatedData, generation }, posted) {
      const keyCopy = keyForWorker(key);
      const response = await ask((id) => ({ id, type: 'seal-copy', copy, header, file, key: keyCopy, associatedData, generation }), [keyCopy.buffer as ArrayBuffer], posted);
      return response.type === 'sealed' ? { iv: response.iv, bytes: response.bytes } : failed(response);
    },

    async close(copy) {
      const running = worker;
      // No worker: nothing is kept.
      if (!running) return;
      const response = await ask((id) => ({ id, type: 'close', copy }));
      if (response.type !== 'closed') failed(response);
    },

    async dispose() {
      const running = worker;
      worker = null;
      if (!running) return;
      await Promise.allSettled(inFlight);
      await (await running.catch(() => null))?.terminate();
    },
  };
}
