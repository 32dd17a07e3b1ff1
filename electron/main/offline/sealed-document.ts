import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import { IpcFailure } from '../../../common/ipc';
import type { Logger } from '../log';
import { writeFileAtomically } from '../infra/atomic-file';
import { openCounted, seal } from './sealed-box';

/**
 * One encrypted, versioned JSON document on disk (the drafts, the employee list).
 *
 * - Durable: every write is temp file → fsync → rename → fsync of the folder (atomic-file.ts), so a
 *   crash leaves the old or the new document, never a torn one; `write` returns only after that.
 * - Versioned: the plaintext is `{schemaVersion, ...}`; older versions go through `migrations`
 *   (keyed by the version they upgrade FROM) before the schema validates the result.
 * - A file that fails to decrypt, migrate or validate is renamed aside (never deleted) and the
 *   document starts empty; `problem` says so in plain words for the UI.
 */
export type Migrations = Readonly<Record<number, (data: Record<string, unknown>) => Record<string, unknown>>>;

export interface SealedDocumentOptions<T extends { schemaVersion: number }> {
  file: string;
  key: Buffer;
  /** Binds the file to its purpose and owner (AES-GCM associated data). */
  associatedData: string;
  schema: z.ZodType<T>;
  currentVersion: T['schemaVersion'];
  migrations?: Migrations;
  empty: () => T;
  /** What the document is, for messages: "drafts", "offline employee list". */
  label: string;
  log: Logger;
  now?: () => number;
  /**
   * The offline employee list: up to 100,000 rows that were schema-checked when they arrived
   * (portal answers, IPC), so a write skips re-validating and freezing them (about half the
   * main-process time of a write at that size). The drafts keep both checks.
   */
  isWriteTrusted?: boolean;
  /**
   * Rollback protection: every write counts up (bound into the encryption), `onWritten` stores the
   * count where the profile folder cannot reach it (the keychain), and a file older than `minimum`
   * is an older copy put back in place: kept aside and reported, never used. Without it, writes
   * are not counted.
   */
  generations?: { minimum: number; onWritten: (generation: number) => void };
}

export interface SealedDocument<T> {
  read(): T;
  /** Durable before it returns. */
  write(value: T): void;
  /** A file that could not be read and was kept aside, in plain words; null when all is well. */
  readonly problem: string | null;
  /** Where the unreadable file was kept. */
  readonly keptAside: string | null;
}

export function loadSealedDocument<T extends { schemaVersion: number }>(options: SealedDocumentOptions<T>): SealedDocument<T> {
  const now = options.now ?? Date.now;
  let problem: string | null = null;
  let keptAside: string | null = null;
  let value: T;
  const minimumGeneration = options.generations?.minimum ?? 0;
  let generation = minimumGeneration;

  function decode(text: string): T {
    const opened = openCounted(options.key, text, options.associatedData);
    if (opened.generation < minimumGeneration) throw new RolledBackError();
    generation = opened.generation;
    let data = JSON.parse(opened.plaintext) as unknown;
    if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
      let version = (data as { schemaVersion?: unknown }).schemaVersion;
      const migrations = options.migrations ?? {};
      while (typeof version === 'number' && version !== options.currentVersion && Object.hasOwn(migrations, version)) {
        data = migrations[version]!(data as Record<string, unknown>);
        const next = (data as { schemaVersion?: unknown }).schemaVersion;
        // Each step must move forward, or a faulty migration would loop for ever.
        if (typeof next !== 'number' || next <= version) throw new Error(`migration from version ${version} did not raise the version`);
        version = next;
      }
    }
    return options.schema.parse(data);
  }

  removeLeftoverTemporaryFiles(options.file);
  if (!existsSync(options.file)) {
    value = options.empty();
    if (minimumGeneration > 0) {
      problem = `The saved ${options.label} file is missing (it was deleted or moved outside Portal Admin). Portal Admin started with an empty one.`;
      options.log.warn(`offline: the ${options.label} file is missing`, { expectedGeneration: minimumGeneration });
    }
  } else {
    let text: string;
    try {
      text = readFileSync(options.file, 'utf8');
    } catch (error) {
      // Not a damaged file (permissions, too many open files, a disk error): keep it where it is and say so.
      options.log.error(`offline: could not read the ${options.label} file`, { error });
      throw new IpcFailure('storage', `Portal Admin cannot read its ${options.label} file (${(error as { code?: string }).code ?? 'error'}). Nothing was changed; check the disk and try again.`);
    }
    try {
      value = decode(text);
    } catch (error) {
      keptAside = freeAsideName(`${options.file}.unreadable-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`);
      try {
        renameSync(options.file, keptAside);
      } catch (renameError) {
        options.log.error(`offline: could not keep the unreadable ${options.label} file aside`, { error: renameError });
        keptAside = null;
      }
      const why =
        error instanceof RolledBackError
          ? 'is an older copy than the one Portal Admin last wrote (it was replaced outside Portal Admin)'
          : error instanceof SyntaxError || (error as { name?: string }).name === 'ZodError'
            ? 'is in a format this version cannot read'
            : 'could not be decrypted (it was changed, damaged, or its key is gone)';
      problem = `The saved ${options.label} file ${why}. It was kept aside${keptAside ? ` as ${keptAside}` : ''} and nothing was deleted; Portal Admin started with an empty one.`;
      options.log.warn(`offline: the ${options.label} file was unreadable and kept aside`, { keptAside, reason: (error as { name?: string }).name ?? 'error' });
      value = options.empty();
    }
  }

  deepFreeze(value);
  return {
    read: () => value,
    write(next) {
      const checked = options.isWriteTrusted ? next : options.schema.parse(next);
      const nextGeneration = options.generations ? generation + 1 : undefined;
      writeFileAtomically(options.file, seal(options.key, JSON.stringify(checked), options.associatedData, nextGeneration));
      if (nextGeneration !== undefined) {
        generation = nextGeneration;
        options.generations!.onWritten(nextGeneration);
      }
      // Frozen: what `read` hands out cannot be changed in memory without a write.
      value = options.isWriteTrusted ? checked : deepFreeze(checked);
    },
    get problem() {
      return problem;
    },
    get keptAside() {
      return keptAside;
    },
  };
}

class RolledBackError extends Error {
  constructor() {
    super('the file is older than the last one written');
    this.name = 'RolledBackError';
  }
}

/** A name beside `wanted` that no file has yet: an earlier kept-aside file is never replaced. */
function freeAsideName(wanted: string): string {
  let candidate = wanted;
  for (let counter = 2; existsSync(candidate); counter++) candidate = `${wanted}-${counter}`;
  return candidate;
}

/** Temporary files of writes that a crash interrupted before their rename (atomic-file.ts names them `<file>.tmp-…`). */
function removeLeftoverTemporaryFiles(file: string): void {
  const folder = dirname(file);
  const prefix = `${basename(file)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) if (name.startsWith(prefix)) rmSync(join(folder, name), { force: true });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
