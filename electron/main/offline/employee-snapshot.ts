import { z } from 'zod';
import { userSchema, employeeSchema, type Employee, type PortalUser } from '../../../common/api';
import type { Logger } from '../log';
import { loadSealedDocument, type Migrations, type SealedDocument, type SealedDocumentOptions } from './sealed-document';

/**
 * The offline copy of the employee list (opt-in): every employee as last loaded, encrypted like
 * the drafts, and the signed-in user it belongs to (whom "Work offline" brings back).
 * `asOf` is the newest `updatedAt` in the copy — the portal's own clock — so the next
 * `changedSince` delta asks exactly for what is newer, whatever this computer's clock says.
 */
export const SNAPSHOT_SCHEMA_VERSION = 1;
export const snapshotSchema = z.strictObject({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  user: userSchema.nullable(),
  /** When this computer last brought the copy up to date (ISO). */
  syncedAt: z.string().nullable(),
  /** The portal's time (`asOf`) the copy is current to: where the next `changedSince` delta starts (absent in older copies). */
  portalAsOf: z.string().nullable().optional(),
  items: z.array(employeeSchema),
});
export type Snapshot = z.infer<typeof snapshotSchema>;
export const SNAPSHOT_MIGRATIONS: Migrations = {};

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
  /** A whole list (a full load), read at the portal's `portalAsOf`. */
  replaceAll(user: PortalUser, items: readonly Employee[], syncedAt: string, portalAsOf?: string | null): void;
  /** A `changedSince` delta: changed employees merged by version, deleted ones removed. */
  applyDelta(delta: { items: readonly Employee[]; deleted: readonly string[]; syncedAt: string; portalAsOf: string }): void;
  /** Changed employees (a delta, a save, a sync): the higher version wins. */
  merge(items: readonly Employee[], syncedAt?: string): void;
  /** Writes a pending change now (shutdown). */
  flush(): void;
  readonly problem: string | null;
}

export interface EmployeeSnapshotOptions {
  file: string;
  key: Buffer;
  account: string;
  log: Logger;
  now?: () => number;
  writeDelayMs?: number;
  /** Rollback protection (sealed-document.ts). */
  generations?: SealedDocumentOptions<Snapshot>['generations'];
}

export function openEmployeeSnapshot(options: EmployeeSnapshotOptions): EmployeeSnapshot {
  const document: SealedDocument<Snapshot> = loadSealedDocument({
    file: options.file,
    key: options.key,
    associatedData: `employees|${options.account}`,
    schema: snapshotSchema,
    currentVersion: SNAPSHOT_SCHEMA_VERSION,
    migrations: SNAPSHOT_MIGRATIONS,
    empty: () => ({ schemaVersion: SNAPSHOT_SCHEMA_VERSION, user: null, syncedAt: null, items: [] }),
    label: 'offline employee list',
    log: options.log,
    now: options.now,
    isWriteTrusted: true,
    generations: options.generations,
  });
  let current: Snapshot = document.read();
  const byId = new Map<string, number>();
  const reindex = () => {
    byId.clear();
    current.items.forEach((employee, position) => byId.set(employee.id, position));
  };
  reindex();
  let timer: NodeJS.Timeout | null = null;
  const delay = options.writeDelayMs ?? SNAPSHOT_WRITE_DELAY_MS;

  function writeNow(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    try {
      document.write(current);
    } catch (error) {
      options.log.warn('offline: could not write the offline employee list', { error });
    }
  }
  function writeSoon(): void {
    if (delay <= 0) return writeNow();
    if (timer) return;
    timer = setTimeout(writeNow, delay);
    timer.unref();
  }

  function merge(items: readonly Employee[], syncedAt?: string): void {
    if (items.length === 0 && syncedAt === undefined) return;
    const next = [...current.items];
    for (const employee of items) {
      const position = byId.get(employee.id);
      if (position === undefined) {
        byId.set(employee.id, next.length);
        next.push(employee);
      } else if (next[position]!.version <= employee.version) next[position] = employee;
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
    replaceAll(user, items, syncedAt, portalAsOf = null) {
      current = { schemaVersion: SNAPSHOT_SCHEMA_VERSION, user, syncedAt, portalAsOf, items: [...items] };
      reindex();
      writeSoon();
    },
    applyDelta(delta) {
      merge(delta.items, delta.syncedAt);
      const gone = new Set(delta.deleted);
      const items = gone.size === 0 ? current.items : current.items.filter((employee) => !gone.has(employee.id));
      current = { ...current, items, portalAsOf: delta.portalAsOf };
      if (gone.size > 0) reindex();
      writeSoon();
    },
    merge,
    flush() {
      if (timer) writeNow();
    },
    get problem() {
      return document.problem;
    },
  };
}
