import { existsSync } from 'node:fs';
import type { Employee, PortalUser } from '../../../common/api';
import type { StoredFileProblem } from '../../../common/drafts';
import { encodeEmployeeRows, type EmployeeRows } from '../../../common/ipc/employee-rows';
import type { Logger } from '../log';
import { keepUnreadableAside, prepareToOpen, unreadableFileFailure, type UnreadableReason } from './sealed-document';
import type { ResidentChange } from './snapshot-messages';
import { SnapshotWorkerError, type SnapshotSealer } from './snapshot-sealer';
import { SNAPSHOT_SCHEMA_VERSION, type SnapshotHeader } from './snapshot-schema';

export { SNAPSHOT_MIGRATIONS, SNAPSHOT_SCHEMA_VERSION, snapshotSchema, type Snapshot, type SnapshotHeader } from './snapshot-schema';

/**
 * The offline copy of the employee list (opt-in): every employee as last loaded, encrypted like
 * the drafts, and the signed-in user it belongs to (whom "Work offline" brings back).
 * `asOf` is the newest `updatedAt` in the copy — the portal's own clock — so the next
 * `changedSince` delta asks exactly for what is newer, whatever this computer's clock says.
 *
 * Up to 100,000 rows: the employees live in a worker thread (snapshot-resident.ts), which reads,
 * decrypts, validates, changes, pages and writes them; main holds the header (user, times) and the
 * changes not yet written. So main builds no employee at the open and answers IPC meanwhile. If the
 * worker stops, a call in flight fails (a page read: the window loads from the portal instead), and
 * the next call opens the file again in a new worker and applies the unwritten changes again, so no
 * change is lost. The file is a sealed document
 * (sealed-document.ts) and keeps its rules: durable writes, an unusable file kept aside with the
 * reason, and a write count that detects an older copy put back in place.
 */
/** How long snapshot writes are gathered (each write re-encrypts the whole list). */
export const SNAPSHOT_WRITE_DELAY_MS = 1_000;

export interface EmployeeSnapshot {
  user(): PortalUser | null;
  /** Every employee (a read of the whole copy from the worker). */
  items(): Promise<readonly Employee[]>;
  /** The number of employees, as of the last change the worker confirmed. */
  size(): number;
  /** The newest `updatedAt` (portal time), or null when empty. */
  newestUpdate(): Promise<string | null>;
  syncedAt(): string | null;
  /** The portal's time the copy is current to (null: unknown, a delta cannot tell deletions). */
  portalAsOf(): string | null;
  /**
   * A page for the window, which reads the copy a page at a time: the first page (offset 0) pins the
   * copy as it is then, and the later pages come from that pinned copy, so a read never sees the copy
   * change half-way (a delta applied meanwhile, such as the sign-in's own, is newer than the pinned
   * `portalAsOf` and comes again in the window's next `changedSince`). The last page lets go of it.
   */
  page(offset: number, limit: number): Promise<{ items: Employee[]; total: number; syncedAt: string | null; portalAsOf: string | null }>;
  /** The same page as a row block for the window (common/ipc/employee-rows.ts), made in the worker. */
  pageRows(offset: number, limit: number): Promise<{ rows: EmployeeRows; total: number; syncedAt: string | null; portalAsOf: string | null }>;
  /** A whole list (a full load), read at the portal's `portalAsOf`. */
  replaceAll(user: PortalUser, items: readonly Employee[], syncedAt: string, portalAsOf?: string | null): void;
  /** A `changedSince` delta: changed employees merged by version, deleted ones removed. */
  applyDelta(delta: { items: readonly Employee[]; deleted: readonly string[]; syncedAt: string; portalAsOf: string }): void;
  /** Changed employees (a delta, a save, a sync): the higher version wins. */
  merge(items: readonly Employee[], syncedAt?: string): void;
  /** Writes a pending change now; resolves when every write so far is on disk (or failed and was logged). */
  flush(): Promise<void>;
  /** Writes what is pending and lets the worker drop the employees (the account is no longer active). */
  close(): Promise<void>;
  readonly problem: string | null;
  readonly problemDetail: StoredFileProblem | null;
}

export interface EmployeeSnapshotOptions {
  file: string;
  key: Buffer;
  account: string;
  log: Logger;
  /** The worker thread that keeps, seals and opens the copy. */
  sealer: SnapshotSealer;
  now?: () => number;
  writeDelayMs?: number;
  /**
   * Rollback protection: `minimum` is the write count kept in the keychain (a file with a lower one
   * is an older copy put back: kept aside, never used); `beforeWrite` stores the next count there
   * before the file is written, so no moment exists in which a newer file is on disk and the
   * keychain still accepts the older one.
   */
  generations?: { minimum: number; beforeWrite: (generation: number) => Promise<unknown> };
}

const LABEL = 'offline employee list';
type Header = SnapshotHeader;
const emptyHeader = (): Header => ({ schemaVersion: SNAPSHOT_SCHEMA_VERSION, user: null, syncedAt: null });
/**
 * A delta that changes no row (only the portal's time moved) is not written while the copy on disk is
 * this recent in portal time: writing means sealing every row again (a 100,000-employee copy: 40 MB).
 * The file keeps its older `portalAsOf` and `syncedAt`, which stay true (its rows were current then), so
 * the next delta only asks from a little earlier; the portal keeps deletions far longer (30 days).
 */
export const HEADER_ONLY_WRITE_AFTER_MS = 12 * 60 * 60 * 1000;
/** Rows per message of a whole new list sent to the worker (one event-loop turn each). */
const REPLACE_SLICE = 1_000;

/** The worker stopped, or was started again and no longer holds the copy: open the file again. */
const isWorkerLost = (error: unknown): boolean => error instanceof SnapshotWorkerError && (error.code === null || error.code === 'no_copy');

export async function openEmployeeSnapshot(options: EmployeeSnapshotOptions): Promise<EmployeeSnapshot> {
  const now = options.now ?? Date.now;
  const log = options.log;
  const { sealer } = options;
  const associatedData = `employees|${options.account}`;
  const minimum = options.generations?.minimum ?? 0;
  let generation = minimum;
  let problem: string | null = null;
  let problemDetail: StoredFileProblem | null = null;
  let header: Header = emptyHeader();
  /** The header of the file on disk (as opened, or as last written). */
  let onDisk: Header = header;
  let count = 0;
  /** The worker's copy; null: none yet (an empty copy, nothing sent). */
  let copy: number | null = null;

  async function openInWorker(): Promise<{ kind: 'opened'; header: Header; generation: number; size: number; copy: number } | { kind: 'unusable'; reason: UnreadableReason | 'rolled_back'; detail: string }> {
    let opened;
    try {
      opened = await sealer.openResident({ file: options.file, key: options.key, associatedData });
    } catch (error) {
      // The worker stopped: not the file's fault, so it stays where it is.
      throw unreadableFileFailure({ label: LABEL, log }, error);
    }
    if (opened.kind === 'unreadable_file') throw unreadableFileFailure({ label: LABEL, log }, { code: opened.code });
    if (opened.kind === 'opened' && opened.generation >= minimum) return opened;
    if (opened.kind === 'opened') void sealer.close(opened.copy).catch(() => undefined);
    return opened.kind === 'unusable' ? opened : { kind: 'unusable', reason: 'rolled_back', detail: 'RolledBackError' };
  }

  const missing = prepareToOpen({ file: options.file, label: LABEL, log, now, minimumGeneration: minimum });
  if (missing) ({ problem, detail: problemDetail } = missing);
  else {
    const opened = await openInWorker();
    if (opened.kind === 'opened') {
      ({ header, generation, size: count, copy } = opened);
      onDisk = header;
    } else {
      ({ problem, detail: problemDetail } = keepUnreadableAside({ file: options.file, label: LABEL, log, now, reason: opened.reason, detail: opened.detail }));
    }
  }

  /** Changes sent to the worker since the last write that succeeded, in order: applied again after a worker restart. */
  let unsaved: ResidentChange[] = [];
  /** The worker lost the copy: the next call opens the file again first. */
  let isLost = false;
  /** Calls to the worker, one after another (so a write or a page sees every change made before it). */
  let queue: Promise<unknown> = Promise.resolve();
  /** The header a read by pages started from (the worker pins its rows). */
  let pinned: Header | null = null;

  /** The copy in the worker, opened again (with the unwritten changes) after the worker stopped. */
  async function ready(): Promise<number | null> {
    if (!isLost) return copy;
    log.warn('offline: the offline copy’s worker stopped; opening the copy again');
    copy = null;
    if (existsSync(options.file)) {
      const opened = await openInWorker();
      if (opened.kind !== 'opened' || opened.generation < generation) throw new SnapshotWorkerError('the offline copy could not be opened again', 'reopen_failed');
      copy = opened.copy;
    }
    isLost = false;
    for (const change of unsaved) await send(change);
    return copy;
  }

  async function send(change: ResidentChange): Promise<void> {
    if (copy === null) {
      copy = sealer.newCopy();
      if (change.kind !== 'replace') await sealer.change(copy, { kind: 'replace', items: [] });
    }
    count = await sealer.change(copy, change);
  }

  function run<T>(call: () => Promise<T>): Promise<T> {
    const result = queue.then(async () => {
      await ready();
      try {
        return await call();
      } catch (error) {
        if (isWorkerLost(error)) isLost = true;
        throw error;
      }
    });
    queue = result.catch(() => undefined);
    return result;
  }

  /** Closed (the account is no longer active): a late change must not make a new, partial copy. */
  let isClosed = false;

  /** A change for the worker: kept until a write has it, sent after the changes before it. */
  function change(update: ResidentChange): void {
    unsaved.push(update);
    run(() => send(update)).catch((error: unknown) => log.warn('offline: a change of the offline copy waits for the copy to be opened again', { error }));
  }

  let timer: NodeJS.Timeout | null = null;
  let isDirty = false;
  /** Writes run one after another; this one never rejects. */
  let writing: Promise<void> = Promise.resolve();
  const delay = options.writeDelayMs ?? SNAPSHOT_WRITE_DELAY_MS;

  async function writeOnce(): Promise<void> {
    if (!isDirty) return;
    isDirty = false;
    const next = options.generations ? generation + 1 : undefined;
    try {
      if (next !== undefined) await options.generations!.beforeWrite(next);
      // What is queued before the write is in it: the header and the changes as of now.
      const value = header;
      const covered = unsaved.slice();
      // The queue waits only until the write is on its way (later calls come after it in the worker), not
      // until it is on disk: page reads go on meanwhile.
      let written: Promise<unknown> = Promise.resolve();
      await run(async () => {
        if (copy === null) await send({ kind: 'replace', items: [] });
        await new Promise<void>((posted, failed) => {
          written = sealer.sealCopy(copy!, { header: value, file: options.file, key: options.key, associatedData, generation: next }, posted);
          written.catch((error: unknown) => {
            if (isWorkerLost(error)) isLost = true;
            failed(error);
          });
        });
      });
      await written;
      onDisk = value;
      if (next !== undefined) generation = next;
      unsaved = unsaved.filter((update) => !covered.includes(update));
    } catch (error) {
      // The file on disk is the previous one, whole; the next write (or flush) tries again.
      isDirty = true;
      log.warn('offline: could not write the offline employee list', { error });
    }
  }
  function writeNow(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    writing = writing.then(writeOnce);
    return writing;
  }
  function writeSoon(): void {
    isDirty = true;
    if (delay <= 0) {
      void writeNow();
      return;
    }
    if (timer) return;
    timer = setTimeout(() => void writeNow(), delay);
    timer.unref();
  }

  function merge(items: readonly Employee[], syncedAt?: string): void {
    if (isClosed || (items.length === 0 && syncedAt === undefined)) return;
    if (items.length > 0) change({ kind: 'merge', items: [...items] });
    if (syncedAt !== undefined) header = { ...header, syncedAt };
    writeSoon();
  }

  /** Whether the file's rows are current to less than HEADER_ONLY_WRITE_AFTER_MS before the portal's `portalAsOf`. */
  function isRecentOnDisk(portalAsOf: string): boolean {
    const written = onDisk.portalAsOf ? Date.parse(onDisk.portalAsOf) : NaN;
    const age = Date.parse(portalAsOf) - written;
    return onDisk.user !== null && age >= 0 && age < HEADER_ONLY_WRITE_AFTER_MS;
  }

  /** A page of a read by pages, with the header the read started from. */
  function pinnedPage<P extends { total: number }>(offset: number, limit: number, read: (from: number | null) => P | Promise<P>): Promise<P & { syncedAt: string | null; portalAsOf: string | null }> {
    if (offset === 0 || pinned === null) pinned = header;
    const start = pinned;
    return run(async () => {
      const page = await read(copy);
      if (offset + limit >= page.total && pinned === start) pinned = null;
      return { ...page, syncedAt: start.syncedAt, portalAsOf: start.portalAsOf ?? null };
    });
  }

  const snapshot: EmployeeSnapshot = {
    user: () => header.user,
    items: () => run(async () => (copy === null ? [] : (await sealer.page(copy, 0, Number.MAX_SAFE_INTEGER, false)).items)),
    size: () => count,
    newestUpdate: () => run(async () => (copy === null ? null : (await sealer.summary(copy)).newestUpdate)),
    syncedAt: () => header.syncedAt,
    portalAsOf: () => header.portalAsOf ?? null,
    page: (offset, limit) => pinnedPage(offset, limit, (from) => (from === null ? { items: [], total: 0 } : sealer.page(from, offset, limit, true))),
    pageRows: (offset, limit) => pinnedPage(offset, limit, (from) => (from === null ? { rows: encodeEmployeeRows([]), total: 0 } : sealer.pageRows(from, offset, limit))),
    replaceAll(user, items, syncedAt, portalAsOf = null) {
      if (isClosed) return;
      header = { schemaVersion: SNAPSHOT_SCHEMA_VERSION, user, syncedAt, portalAsOf };
      // Earlier changes are replaced by this list: only it has to be applied again after a worker restart.
      const slices: ResidentChange[] = [{ kind: 'replace', items: items.slice(0, REPLACE_SLICE) }];
      for (let from = REPLACE_SLICE; from < items.length; from += REPLACE_SLICE) slices.push({ kind: 'append', items: items.slice(from, from + REPLACE_SLICE) });
      for (const slice of slices) change(slice);
      unsaved = unsaved.slice(unsaved.indexOf(slices[0]!));
      count = items.length;
      writeSoon();
    },
    applyDelta(delta) {
      if (isClosed) return;
      if (delta.items.length === 0 && delta.deleted.length === 0 && !isDirty && isRecentOnDisk(delta.portalAsOf)) {
        // Nothing but the portal's time changed: the rows stay as they are on disk (see HEADER_ONLY_WRITE_AFTER_MS).
        header = { ...header, syncedAt: delta.syncedAt, portalAsOf: delta.portalAsOf };
        return;
      }
      merge(delta.items, delta.syncedAt);
      if (delta.deleted.length > 0) change({ kind: 'delete', ids: [...delta.deleted] });
      header = { ...header, portalAsOf: delta.portalAsOf };
      writeSoon();
    },
    merge,
    flush: () => (isDirty ? writeNow() : writing),
    async close() {
      if (isClosed) return;
      await snapshot.flush();
      isClosed = true;
      const closing = copy;
      copy = null;
      if (closing !== null) await run(() => sealer.close(closing)).catch(() => undefined);
    },
    get problem() {
      return problem;
    },
    get problemDetail() {
      return problemDetail;
    },
  };
  return snapshot;
}
