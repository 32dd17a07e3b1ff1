import { Worker } from 'node:worker_threads';
import type { Employee } from '../../../common/api';
import type { EmployeeRows } from '../../../common/ipc/employee-rows';
import type { Logger } from '../log';
import type { UnreadableReason } from './sealed-document';
import type { ResidentChange, SnapshotRequest, SnapshotResponse } from './snapshot-messages';
import type { SnapshotHeader } from './snapshot-schema';
import { snapshotWorkerFile } from './snapshot-worker-file';

/**
 * Main's side of the offline copy's worker thread (snapshot-worker.ts). The worker opens the file and
 * keeps its employees (snapshot-resident.ts): main never builds them in its own heap (young-generation
 * collections of them were its longest pauses), and a write makes the JSON, seals it and writes it
 * durably in the worker, so it leaves no garbage on main either.
 *
 * If the worker fails or exits, the calls in flight fail with `SnapshotWorkerError` (the file on
 * disk is untouched: the worker writes through a temporary file and a rename) and the next call
 * starts a new worker.
 */

/** A copy opened to stay in the worker (`copy` names it in later calls). */
export type ResidentOpened =
  | { kind: 'opened'; copy: number; header: SnapshotHeader; generation: number; isMigrated: boolean; size: number }
  /** The file could not be read (permissions, a disk error): it stays where it is. */
  | { kind: 'unreadable_file'; code: string }
  /** The file was read but cannot be used: the caller keeps it aside. */
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
  /** A page of a read by pages (pinned, as `page`) as a row block, made in the worker. */
  pageRows(copy: number, offset: number, limit: number): Promise<{ rows: EmployeeRows; total: number }>;
  summary(copy: number): Promise<{ size: number; newestUpdate: string | null }>;
  /**
   * Durable before it resolves: the copy's employees as they are when the call reaches the worker
   * (`posted`: the call is on its way, so a later call comes after it; the worker still answers
   * page reads while it writes).
   */
  sealCopy(copy: number, request: { header: SnapshotHeader; file: string; key: Buffer; associatedData: string; generation: number | undefined }, posted?: () => void): Promise<{ iv: string; bytes: number }>;
  close(copy: number): Promise<void>;
}

export interface SnapshotSealer extends ResidentCopies {
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
  /** Where the worker's code is (tests); default: snapshotWorkerFile(). */
  workerFile?: () => Promise<string | URL>;
}

interface Pending {
  resolve: (response: SnapshotResponse) => void;
  reject: (error: Error) => void;
}

/** The key for one request: a copy whose memory moves to the worker, so main keeps no second copy. */
function keyForWorker(key: Buffer): Uint8Array {
  return new Uint8Array(key);
}

export function createSnapshotSealer(options: SnapshotSealerOptions): SnapshotSealer {
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

  function expect(running: Worker, id: number): Promise<SnapshotResponse> {
    const answer = new Promise<SnapshotResponse>((resolve, reject) => pending.set(id, { resolve, reject }));
    running.ref();
    // Failures are read by the caller; meanwhile a rejection is not "unhandled".
    inFlight.add(answer);
    answer.catch(() => undefined).finally(() => inFlight.delete(answer));
    return answer;
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

    async pageRows(copy, offset, limit) {
      const response = await ask((id) => ({ id, type: 'page', copy, offset, limit, pin: true, asRows: true }));
      return response.type === 'page-rows' ? { rows: response.rows, total: response.total } : failed(response);
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
