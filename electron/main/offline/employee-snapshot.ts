import type { Employee, PortalUser } from '../../../common/api';
import type { StoredFileProblem } from '../../../common/drafts';
import { insertInNameOrder } from '../../../common/api/employee-order';
import type { Logger } from '../log';
import { keepUnreadableAside, prepareToOpen, unreadableFileFailure } from './sealed-document';
import type { SnapshotSealer } from './snapshot-sealer';
import { SNAPSHOT_SCHEMA_VERSION, type Snapshot } from './snapshot-schema';

export { SNAPSHOT_MIGRATIONS, SNAPSHOT_SCHEMA_VERSION, snapshotSchema, type Snapshot } from './snapshot-schema';

/**
 * The offline copy of the employee list (opt-in): every employee as last loaded, encrypted like
 * the drafts, and the signed-in user it belongs to (whom "Work offline" brings back).
 * `asOf` is the newest `updatedAt` in the copy — the portal's own clock — so the next
 * `changedSince` delta asks exactly for what is newer, whatever this computer's clock says.
 *
 * Up to 100,000 rows: sealing and writing, reading, decrypting and validating run on a worker
 * thread (snapshot-sealer.ts), so main answers IPC meanwhile. The file is a sealed document
 * (sealed-document.ts) and keeps its rules: durable writes, an unusable file kept aside with the
 * reason, and a write count that detects an older copy put back in place.
 */
/** How long snapshot writes are gathered (each write re-encrypts the whole list). */
export const SNAPSHOT_WRITE_DELAY_MS = 1_000;

export interface EmployeeSnapshot {
  user(): PortalUser | null;
  items(): readonly Employee[];
  size(): number;
  /** The newest `updatedAt` (portal time), or null when empty. */
  newestUpdate(): string | null;
  syncedAt(): string | null;
  /** The portal's time the copy is current to (null: unknown, a delta cannot tell deletions). */
  portalAsOf(): string | null;
  /**
   * A page for the window, which reads the copy a page at a time: the first page (offset 0) pins the
   * copy as it is then, and the later pages come from that pinned copy, so a read never sees the copy
   * change half-way (a delta applied meanwhile, such as the sign-in's own, is newer than the pinned
   * `portalAsOf` and comes again in the window's next `changedSince`). The last page lets go of it.
   */
  page(offset: number, limit: number): { items: Employee[]; total: number; syncedAt: string | null; portalAsOf: string | null };
  /** A whole list (a full load), read at the portal's `portalAsOf`. */
  replaceAll(user: PortalUser, items: readonly Employee[], syncedAt: string, portalAsOf?: string | null): void;
  /** A `changedSince` delta: changed employees merged by version, deleted ones removed. */
  applyDelta(delta: { items: readonly Employee[]; deleted: readonly string[]; syncedAt: string; portalAsOf: string }): void;
  /** Changed employees (a delta, a save, a sync): the higher version wins. */
  merge(items: readonly Employee[], syncedAt?: string): void;
  /** Writes a pending change now; resolves when every write so far is on disk (or failed and was logged). */
  flush(): Promise<void>;
  readonly problem: string | null;
  readonly problemDetail: StoredFileProblem | null;
}

export interface EmployeeSnapshotOptions {
  file: string;
  key: Buffer;
  account: string;
  log: Logger;
  /** The worker thread that seals and opens the file. */
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
const emptySnapshot = (): Snapshot => ({ schemaVersion: SNAPSHOT_SCHEMA_VERSION, user: null, syncedAt: null, items: [] });

export async function openEmployeeSnapshot(options: EmployeeSnapshotOptions): Promise<EmployeeSnapshot> {
  const now = options.now ?? Date.now;
  const log = options.log;
  const associatedData = `employees|${options.account}`;
  const minimum = options.generations?.minimum ?? 0;
  let generation = minimum;
  let problem: string | null = null;
  let problemDetail: StoredFileProblem | null = null;
  let current: Snapshot = emptySnapshot();

  const missing = prepareToOpen({ file: options.file, label: LABEL, log, now, minimumGeneration: minimum });
  if (missing) ({ problem, detail: problemDetail } = missing);
  else {
    let opened;
    try {
      opened = await options.sealer.open({ file: options.file, key: options.key, associatedData });
    } catch (error) {
      // The worker stopped: not the file's fault, so it stays where it is.
      throw unreadableFileFailure({ label: LABEL, log }, error);
    }
    if (opened.kind === 'unreadable_file') throw unreadableFileFailure({ label: LABEL, log }, { code: opened.code });
    if (opened.kind === 'opened' && opened.generation >= minimum) {
      current = opened.snapshot;
      generation = opened.generation;
    } else {
      const reason = opened.kind === 'unusable' ? opened.reason : 'rolled_back';
      ({ problem, detail: problemDetail } = keepUnreadableAside({ file: options.file, label: LABEL, log, now, reason, detail: opened.kind === 'unusable' ? opened.detail : 'RolledBackError' }));
    }
  }

  /** Positions by id, made at the first merge after an open or a full load (not during either: 100,000 entries). */
  let byId: Map<string, number> | null = null;
  const resetPositions = (): void => {
    byId = null;
  };
  const positions = (): Map<string, number> => {
    if (!byId) {
      byId = new Map();
      current.items.forEach((employee, position) => byId!.set(employee.id, position));
    }
    return byId;
  };
  /** The copy a read by pages started from (see `page`); changes replace `current`, never edit it. */
  let pinned: Snapshot | null = null;
  let timer: NodeJS.Timeout | null = null;
  let isDirty = false;
  /** Writes run one after another; this one never rejects. */
  let writing: Promise<void> = Promise.resolve();
  const delay = options.writeDelayMs ?? SNAPSHOT_WRITE_DELAY_MS;

  async function writeOnce(): Promise<void> {
    if (!isDirty) return;
    isDirty = false;
    // Changes replace `current` (never edit it), so this value stays as it is while it is written.
    const value = current;
    const next = options.generations ? generation + 1 : undefined;
    try {
      if (next !== undefined) await options.generations!.beforeWrite(next);
      await options.sealer.write({ file: options.file, key: options.key, associatedData, generation: next, value });
      if (next !== undefined) generation = next;
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
    if (items.length === 0 && syncedAt === undefined) return;
    let next = [...current.items];
    const byId = positions();
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
      resetPositions();
    }
    current = { ...current, items: next, syncedAt: syncedAt ?? current.syncedAt };
    writeSoon();
  }

  return {
    user: () => current.user,
    items: () => current.items,
    size: () => current.items.length,
    newestUpdate() {
      let newest: string | null = null;
      for (const employee of current.items) if (newest === null || employee.updatedAt > newest) newest = employee.updatedAt;
      return newest;
    },
    syncedAt: () => current.syncedAt,
    portalAsOf: () => current.portalAsOf ?? null,
    page(offset, limit) {
      if (offset === 0 || pinned === null) pinned = current;
      const read = pinned;
      if (offset + limit >= read.items.length) pinned = null;
      return { items: read.items.slice(offset, offset + limit), total: read.items.length, syncedAt: read.syncedAt, portalAsOf: read.portalAsOf ?? null };
    },
    replaceAll(user, items, syncedAt, portalAsOf = null) {
      current = { schemaVersion: SNAPSHOT_SCHEMA_VERSION, user, syncedAt, portalAsOf, items: [...items] };
      byId = null;
      writeSoon();
    },
    applyDelta(delta) {
      merge(delta.items, delta.syncedAt);
      const gone = new Set(delta.deleted);
      if (gone.size > 0) {
        current = { ...current, items: current.items.filter((employee) => !gone.has(employee.id)) };
        byId = null;
      }
      current = { ...current, portalAsOf: delta.portalAsOf };
      writeSoon();
    },
    merge,
    flush: () => (isDirty ? writeNow() : writing),
    get problem() {
      return problem;
    },
    get problemDetail() {
      return problemDetail;
    },
  };
}
