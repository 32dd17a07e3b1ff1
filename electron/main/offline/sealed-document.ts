import { existsSync, fsyncSync, openSync, closeSync, ftruncateSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import type { StoredFileProblem } from '../../../common/drafts';
import { IpcFailure } from '../../../common/ipc';
import type { Logger } from '../log';
import { appendFileDurably, removeFileDurably, writeFileAtomically } from '../infra/atomic-file';
import { openCounted, sealWithIv } from './sealed-box';

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
  /**
   * An append-only journal beside the file (`<file>.journal`) so a small change costs a small
   * write: `append` adds one sealed record (fsynced) that `apply` replays on the next open. Each
   * record names the write of the file it follows (its IV) and its place (1, 2, …); a crash
   * mid-append leaves a torn last line, which is ignored; a full `write` (also once the journal
   * outgrows the file) rewrites the file and then removes the journal, and a journal left behind
   * by a crash between the two follows an older write and is ignored.
   */
  journal?: { apply: (value: T, record: unknown) => T };
}

export interface SealedDocument<T> {
  read(): T;
  /** Durable before it returns. */
  write(value: T): void;
  /**
   * Durable before it returns: `record` (what `journal.apply` turns the current value into `next`
   * with) is appended to the journal and `next` becomes the value. The caller validated `next`.
   */
  append(record: unknown, next: T): void;
  /** A file that could not be read and was kept aside, in plain English; null when all is well. */
  readonly problem: string | null;
  /** The same as a code, for the window to word. */
  readonly problemDetail: StoredFileProblem | null;
  /** Where the unreadable file was kept. */
  readonly keptAside: string | null;
}

export function loadSealedDocument<T extends { schemaVersion: number }>(options: SealedDocumentOptions<T>): SealedDocument<T> {
  const now = options.now ?? Date.now;
  let problem: string | null = null;
  let problemDetail: StoredFileProblem | null = null;
  let keptAside: string | null = null;
  let value: T;
  const minimumGeneration = options.generations?.minimum ?? 0;
  let generation = minimumGeneration;
  const journalFile = `${options.file}.journal`;
  const journalData = `${options.associatedData}|journal`;
  /** The IV of the file's last write (what journal records follow); null while there is no file. */
  let baseIv: string | null = null;
  let baseBytes = 0;
  let journalRecords = 0;
  let journalBytes = 0;
  /** The file on disk is of an older version (migrated in memory): the next change rewrites it whole. */
  let isFileOutdated = false;

  function decode(text: string): T {
    const opened = openCounted(options.key, text, options.associatedData);
    generation = opened.generation;
    baseIv = opened.iv;
    baseBytes = text.length;
    const migrated = migrate(JSON.parse(opened.plaintext) as unknown, options.currentVersion, options.migrations);
    if (migrated.isMigrated) isFileOutdated = true;
    let result = options.schema.parse(migrated.data);
    const replayed = replayJournal(result);
    if (replayed !== result) result = options.schema.parse(replayed);
    if (generation < minimumGeneration) throw new RolledBackError();
    return result;
  }

  /** Applies the journal's records that follow this file's write; drops a torn tail and a stale journal. */
  function replayJournal(base: T): T {
    journalRecords = 0;
    journalBytes = 0;
    if (!options.journal || !existsSync(journalFile)) return base;
    const text = readFileSync(journalFile, 'utf8');
    let value = base;
    let offset = 0;
    let isStale = false;
    for (let end = text.indexOf('\n', offset); end >= 0; offset = end + 1, end = text.indexOf('\n', offset)) {
      const opened = openCounted(options.key, text.slice(offset, end), journalData);
      const entry = JSON.parse(opened.plaintext) as { follows?: unknown; seq?: unknown; record?: unknown };
      if (entry.follows !== baseIv) {
        // Written after an older write of the file: already part of this one (a crash before its removal).
        isStale = true;
        break;
      }
      if (entry.seq !== journalRecords + 1) throw new Error('the journal has a gap');
      if (options.generations && opened.generation !== generation + 1) throw new Error('the journal skips a generation');
      value = options.journal.apply(value, entry.record);
      journalRecords++;
      if (options.generations) generation = opened.generation;
    }
    if (isStale) {
      removeFileDurably(journalFile);
      journalRecords = 0;
      return base;
    }
    // A torn last line (a crash mid-append; that change was never reported as saved) is cut off.
    journalBytes = Buffer.byteLength(text.slice(0, offset), 'utf8');
    if (offset < text.length) truncateDurably(journalFile, journalBytes);
    return value;
  }

  const missing = prepareToOpen({ ...options, now, minimumGeneration });
  if (missing) {
    value = options.empty();
    ({ problem, detail: problemDetail } = missing);
  } else {
    let text: string;
    try {
      text = readFileSync(options.file, 'utf8');
    } catch (error) {
      throw unreadableFileFailure(options, error);
    }
    try {
      value = decode(text);
    } catch (error) {
      ({ keptAside, problem, detail: problemDetail } = keepUnreadableAside({ ...options, now, reason: unreadableReason(error), detail: (error as { name?: string }).name ?? 'error' }));
      value = options.empty();
      baseIv = null;
      journalRecords = 0;
      journalBytes = 0;
    }
  }

  deepFreeze(value);

  function writeWhole(next: T, isChecked = false): void {
    const checked = options.isWriteTrusted || isChecked ? next : options.schema.parse(next);
    const nextGeneration = options.generations ? generation + 1 : undefined;
    const sealed = sealWithIv(options.key, JSON.stringify(checked), options.associatedData, nextGeneration);
    writeFileAtomically(options.file, sealed.text);
    baseIv = sealed.iv;
    baseBytes = sealed.text.length;
    isFileOutdated = false;
    // The file now holds everything the journal did; a crash before this leaves a stale journal, ignored on open.
    if (journalRecords > 0 || (options.journal && existsSync(journalFile))) removeFileDurably(journalFile);
    journalRecords = 0;
    journalBytes = 0;
    if (nextGeneration !== undefined) {
      generation = nextGeneration;
      options.generations!.onWritten(nextGeneration);
    }
    // Frozen: what `read` hands out cannot be changed in memory without a write.
    value = options.isWriteTrusted ? checked : deepFreeze(checked);
  }

  return {
    read: () => value,
    write: (next) => writeWhole(next),
    append(record, next) {
      if (!options.journal) throw new Error(`the ${options.label} file has no journal`);
      // `next` was validated by the caller: folding the journal into the file does not check it again.
      if (baseIv === null || isFileOutdated || journalBytes > Math.max(JOURNAL_MINIMUM_BYTES, JOURNAL_TO_FILE_RATIO * baseBytes)) return writeWhole(next, true);
      const nextGeneration = options.generations ? generation + 1 : undefined;
      const line = sealWithIv(options.key, JSON.stringify({ follows: baseIv, seq: journalRecords + 1, record }), journalData, nextGeneration).text;
      appendFileDurably(journalFile, line);
      journalRecords++;
      journalBytes += Buffer.byteLength(line, 'utf8');
      if (nextGeneration !== undefined) {
        generation = nextGeneration;
        options.generations!.onWritten(nextGeneration);
      }
      value = next;
    },
    get problem() {
      return problem;
    },
    get problemDetail() {
      return problemDetail;
    },
    get keptAside() {
      return keptAside;
    },
  };
}

/** The journal is folded into the file once it holds more than this, or this many times the file's size. */
const JOURNAL_MINIMUM_BYTES = 1 << 20;
const JOURNAL_TO_FILE_RATIO = 4;

function truncateDurably(file: string, length: number): void {
  const descriptor = openSync(file, 'r+');
  try {
    ftruncateSync(descriptor, length);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Before a sealed file is opened: removes the temporary files of a write a crash interrupted and,
 * when the file is missing, keeps an orphaned journal aside; `{problem}` when the file is missing
 * although the keychain counted writes of it (deleted outside Portal Admin), `{problem: null}` when
 * it is simply missing, null when there is a file to open.
 */
export function prepareToOpen(options: { file: string; label: string; log: Logger; now: () => number; minimumGeneration: number }): { problem: string | null; detail: StoredFileProblem | null } | null {
  removeLeftoverTemporaryFiles(options.file);
  if (existsSync(options.file)) return null;
  const journalFile = `${options.file}.journal`;
  // A journal without its file cannot be replayed: kept aside, never deleted.
  if (existsSync(journalFile)) renameSync(journalFile, freeAsideName(`${journalFile}.orphaned-${stamp(options.now)}`));
  if (options.minimumGeneration === 0) return { problem: null, detail: null };
  options.log.warn(`offline: the ${options.label} file is missing`, { expectedGeneration: options.minimumGeneration });
  return {
    problem: `The saved ${options.label} file is missing (it was deleted or moved outside Portal Admin). Portal Admin started with an empty one.`,
    detail: { code: 'file_missing', file: fileOf(options.label) },
  };
}

/** Not a damaged file (permissions, too many open files, a disk error): it stays where it is, and the user is told. */
export function unreadableFileFailure(options: { label: string; log: Logger }, error: unknown): IpcFailure {
  options.log.error(`offline: could not read the ${options.label} file`, { error });
  return new IpcFailure('storage', `Portal Admin cannot read its ${options.label} file (${(error as { code?: string }).code ?? 'error'}). Nothing was changed; check the disk and try again.`);
}

/** Which of the files a document's label names, for the window's words. */
function fileOf(label: string): StoredFileProblem['file'] {
  return label === 'drafts' ? 'drafts' : 'employees';
}

/** Why a file that was read could not be used. */
export type UnreadableReason = 'rolled_back' | 'format' | 'undecryptable';

export function unreadableReason(error: unknown): UnreadableReason {
  if (error instanceof RolledBackError) return 'rolled_back';
  // A row block whose rows break the employee schema (the offline copy) is a ZodError's equal.
  const name = (error as { name?: string }).name;
  return error instanceof SyntaxError || name === 'ZodError' || name === 'EmployeeRowsError' ? 'format' : 'undecryptable';
}

const WHY: Readonly<Record<UnreadableReason, string>> = {
  rolled_back: 'is an older copy than the one Portal Admin last wrote (it was replaced outside Portal Admin)',
  format: 'is in a format this version cannot read',
  undecryptable: 'could not be decrypted (it was changed, damaged, or its key is gone)',
};

/** Renames an unusable file (and its journal) aside, never deleting it, and says so in plain words. */
export function keepUnreadableAside(options: { file: string; label: string; log: Logger; now: () => number; reason: UnreadableReason; detail: string }): { keptAside: string | null; problem: string; detail: StoredFileProblem } {
  let keptAside: string | null = freeAsideName(`${options.file}.unreadable-${stamp(options.now)}`);
  try {
    renameSync(options.file, keptAside);
    if (existsSync(`${options.file}.journal`)) renameSync(`${options.file}.journal`, `${keptAside}.journal`);
  } catch (renameError) {
    options.log.error(`offline: could not keep the unreadable ${options.label} file aside`, { error: renameError });
    keptAside = null;
  }
  options.log.warn(`offline: the ${options.label} file was unreadable and kept aside`, { keptAside, reason: options.detail });
  return {
    keptAside,
    problem: `The saved ${options.label} file ${WHY[options.reason]}. It was kept aside${keptAside ? ` as ${keptAside}` : ''} and nothing was deleted; Portal Admin started with an empty one.`,
    detail: { code: 'file_kept_aside', file: fileOf(options.label), reason: options.reason, keptAs: keptAside === null ? null : basename(keptAside).slice(0, 400) },
  };
}

/**
 * Runs the migrations from the document's version up to `currentVersion` (keyed by the version they
 * upgrade FROM); `isMigrated` when any ran (the file on disk is of an older version).
 */
export function migrate(data: unknown, currentVersion: number, migrations: Migrations = {}): { data: unknown; isMigrated: boolean } {
  let isMigrated = false;
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    let version = (data as { schemaVersion?: unknown }).schemaVersion;
    while (typeof version === 'number' && version !== currentVersion && Object.hasOwn(migrations, version)) {
      data = migrations[version]!(data as Record<string, unknown>);
      const next = (data as { schemaVersion?: unknown }).schemaVersion;
      // Each step must move forward, or a faulty migration would loop for ever.
      if (typeof next !== 'number' || next <= version) throw new Error(`migration from version ${version} did not raise the version`);
      version = next;
      isMigrated = true;
    }
  }
  return { data, isMigrated };
}

const stamp = (now: () => number) => new Date(now()).toISOString().replace(/[:.]/g, '-');

export class RolledBackError extends Error {
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

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
