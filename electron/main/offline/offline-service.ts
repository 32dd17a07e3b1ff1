import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Employee, EmployeeList, PortalUser } from '../../../common/api';
import { MAX_OFFLINE_UNLOCK_ATTEMPTS, OFFLINE_COPY_MAX_AGE_DAYS, type OfflineState, type OfflineUnlockStep } from '../../../common/drafts';
import { IpcFailure, encodeEmployeeRows, type ChannelOutput, type ChannelParsedInput } from '../../../common/ipc';
import { rememberSecret, type Logger } from '../log';
import type { CredentialStore } from '../infra/credential-store';
import type { PortalClient } from '../infra/portal-client';
import { openDraftStore, type DraftStore } from './draft-store';
import { openEmployeeSnapshot, type EmployeeSnapshot } from './employee-snapshot';
import { createSnapshotSealer } from './snapshot-sealer';
import { accountIdOf, authenticatedFields, createOfflineAccounts, type OfflineAccount, type OfflineAccounts } from './offline-accounts';
import { createOfflineGuards, isRecordMacValid, recordMac, type OfflineGuards, type SealedFileKind } from './offline-guard';
import { forgetOfflineDataKey, offlineDataKey, unwrapDataKey, wrapDataKey } from './offline-keys';
import { checkPassword, takeWrappingKey, type Verifier } from '../infra/offline-verifier';
import { fetchEmployeeChanges } from '../services/employee-changes';

/**
 * Offline data of the signed-in (or offline-unlocked) account: which account is active, its
 * encrypted drafts and offline employee list, "Work offline" with the local password verifier,
 * and what sign-out does to all of it.
 *
 * Folder layout under the profile: `offline/accounts.json` (no employee data) and
 * `offline/<account id>/{drafts,employees}.sealed` (AES-256-GCM). With a portal session the data
 * key comes from the OS keychain; working offline it comes only from `accounts.json`, sealed with
 * a key derived from the password (offline-verifier.ts), so nothing there opens without it.
 */
export const OFFLINE_FOLDER = 'offline';
export const DRAFTS_FILE = 'drafts.sealed';
export const SNAPSHOT_FILE = 'employees.sealed';

export interface ActiveAccount {
  id: string;
  portalOrigin: string;
  email: string;
  user: PortalUser;
  /** Unlocked offline: no portal session, nothing is sent. */
  isOfflineSession: boolean;
  /** Null until the first draft (the key is made then). */
  drafts: DraftStore | null;
  /** Only with "Keep an offline copy on this computer". */
  snapshot: EmployeeSnapshot | null;
}

export interface PortalSignIn {
  user: PortalUser;
  portalOrigin: string;
  keepOfflineCopy: boolean;
  /** Made from the password the portal accepted (with its wrapping key); null when no offline copy is wanted. */
  verifier: Verifier | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const CHANGED_RECORD_MESSAGE = 'The offline copy on this computer was changed outside Portal Admin, so it is not used. Sign in with the portal to make a new one.';

export interface OfflineService {
  /** The active account as resolved last (sync reads it; null when nobody is signed in). */
  active(): ActiveAccount | null;
  /** Resolves the active account for the current session; `createDrafts` makes the drafts file's key if needed. */
  ensureActive(options?: { createDrafts?: boolean }): Promise<ActiveAccount | null>;
  getState(): OfflineState;
  unlock(input: ChannelParsedInput<'offline:unlock'>): Promise<OfflineUnlockStep>;
  leave(): OfflineState;
  /** The auth service signed in with the portal (password + second factor). */
  onPortalSignIn(signIn: PortalSignIn): Promise<void>;
  listOffline(input: ChannelParsedInput<'employees:list-offline'>): Promise<ChannelOutput<'employees:list-offline'>>;
  /** A page of `employees:list` went by: a complete walk becomes the offline copy. */
  observeListPage(input: ChannelParsedInput<'employees:list'>, page: EmployeeList): void;
  /** An employee as the portal now holds it (a save, a sync, a conflict). */
  applyEmployees(employees: readonly Employee[]): void;
  /** A `changedSince` delta the renderer asked for (reopening Manage Employees): the copy follows it. */
  applyDelta(delta: { items: readonly Employee[]; deleted: readonly string[]; asOf: string }): void;
  /** Brings the offline copy up to date with `changedSince` (portal session only). */
  refreshFromPortal(): Promise<number>;
  /** Sign-out of a portal session: wipes the offline copy, keeps or discards the drafts. */
  wipeAfterSignOut(account: ActiveAccount, drafts: 'keep' | 'discard'): Promise<void>;
  /** Writes what is pending and ends the offline copy's worker thread. */
  dispose(): Promise<void>;
}

export interface OfflineServiceOptions {
  userDataDir: string;
  credentials: CredentialStore;
  /** The portal session's user, or null (no session / ended). */
  sessionUser: () => PortalUser | null;
  /** The configured portal's origin, or null. */
  portalOrigin: () => string | null;
  portal: () => PortalClient;
  onChange: () => void;
  log: Logger;
  clock?: () => number;
  snapshotWriteDelayMs?: number;
  /** The setting: the offline copy is deleted this many days after the last online sign-in (default 14). */
  offlineCopyDays?: () => number;
  /** Where the offline copy's worker code is (tests); default: snapshotWorkerFile(). */
  snapshotWorkerFile?: () => Promise<string | URL>;
}

export function createOfflineService(options: OfflineServiceOptions): OfflineService {
  const clock = options.clock ?? Date.now;
  const folder = join(options.userDataDir, OFFLINE_FOLDER);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const accounts: OfflineAccounts = createOfflineAccounts(folder, options.log, clock);
  const log = options.log;
  const guards: OfflineGuards = createOfflineGuards(options.credentials, log);
  const offlineCopyDays = options.offlineCopyDays ?? (() => OFFLINE_COPY_MAX_AGE_DAYS);
  const sealer = createSnapshotSealer({ log, workerFile: options.snapshotWorkerFile });
  /** The data key of an offline session: unsealed with the password, never read from the keychain. */
  let offlineSession: { portalOrigin: string; email: string; user: PortalUser; key: Buffer } | null = null;
  let unlocking: Promise<unknown> = Promise.resolve();
  let active: ActiveAccount | null = null;
  let resolving: Promise<unknown> = Promise.resolve();
  let walk: { items: Employee[]; total: number; next: string | null; startedAt: string; portalAsOf: string | null } | null = null;

  const iso = () => new Date(clock()).toISOString();
  const accountFolder = (id: string) => join(folder, id);

  /** Rollback protection of one sealed file: the last write count from the keychain, and where each new one goes. */
  async function generationsOf(portalOrigin: string, email: string, file: SealedFileKind): Promise<{ minimum: number; onWritten: (generation: number) => void }> {
    const guard = await guards.get(portalOrigin, email);
    return { minimum: guard.generations[file], onWritten: (generation) => guards.noteWritten(portalOrigin, email, file, generation) };
  }

  async function openSnapshot(portalOrigin: string, email: string, key: Buffer): Promise<EmployeeSnapshot> {
    const id = accountIdOf(portalOrigin, email);
    const minimum = (await guards.get(portalOrigin, email)).generations.employees;
    // The count goes to the keychain before the file is written: a newer file is never on disk while the keychain still accepts an older one.
    const generations = { minimum, beforeWrite: (generation: number) => guards.raiseGeneration(portalOrigin, email, 'employees', generation) };
    return openEmployeeSnapshot({ file: join(accountFolder(id), SNAPSHOT_FILE), key, account: id, log, sealer, now: clock, writeDelayMs: options.snapshotWriteDelayMs, generations });
  }

  async function openDrafts(portalOrigin: string, email: string, key: Buffer): Promise<DraftStore> {
    const id = accountIdOf(portalOrigin, email);
    const generations = await generationsOf(portalOrigin, email, 'drafts');
    return openDraftStore({ file: join(accountFolder(id), DRAFTS_FILE), key, account: id, log, now: clock, generations });
  }

  /** Deletes a sealed file on purpose: its write count starts again. */
  async function removeSealedFile(portalOrigin: string, email: string, file: SealedFileKind): Promise<void> {
    rmSync(join(accountFolder(accountIdOf(portalOrigin, email)), file === 'drafts' ? DRAFTS_FILE : SNAPSHOT_FILE), { force: true });
    await guards.update(portalOrigin, email, (guard) => ({ ...guard, generations: { ...guard.generations, [file]: 0 } }));
  }

  function who(): { portalOrigin: string; email: string; user: PortalUser; isOfflineSession: boolean; key: Buffer | null } | null {
    const user = options.sessionUser();
    const origin = options.portalOrigin();
    if (user && origin) return { portalOrigin: origin, email: user.email, user, isOfflineSession: false, key: null };
    if (offlineSession && offlineSession.portalOrigin === origin) return { ...offlineSession, isOfflineSession: true };
    return null;
  }

  /** The record, when its HMAC (key in the keychain) still matches: null when it was changed. */
  async function verifiedRecord(entry: OfflineAccount): Promise<OfflineAccount | null> {
    const guard = await guards.get(entry.portalOrigin, entry.email);
    return isRecordMacValid(guard, authenticatedFields(entry), entry.mac) ? entry : null;
  }

  /** Deletes an expired offline copy (the drafts stay for the next online sign-in). */
  async function expire(entry: OfflineAccount): Promise<void> {
    await removeSealedFile(entry.portalOrigin, entry.email, 'employees');
    accounts.put({ ...entry, keepsOfflineCopy: false, verifier: null, wrappedKey: null, expiresAt: null, syncedAt: null, mac: null });
    log.info('offline: the offline copy expired and was deleted');
  }

  async function tryUnlock(origin: string, email: string, password: string): Promise<OfflineUnlockStep> {
    const entry: OfflineAccount | undefined = accounts.get(origin, email);
    if (!entry || !entry.keepsOfflineCopy || !entry.verifier || !entry.wrappedKey) return { step: 'no_offline_copy' };
    const record = await verifiedRecord(entry);
    if (!record || !record.verifier || !record.wrappedKey || record.signedInAt === null) {
      log.warn('offline: the record of an offline copy does not match its keychain key; not used');
      return { step: 'unavailable', message: CHANGED_RECORD_MESSAGE, reason: 'record_changed' };
    }
    // The sooner of the expiry fixed in the authenticated record when the copy was made and today's
    // setting: editing the settings file can shorten a copy's life, never lengthen it.
    const signedInAt = Date.parse(record.signedInAt);
    const bySetting = signedInAt + offlineCopyDays() * DAY_MS;
    const expiresAt = Math.min(bySetting, record.expiresAt ? Date.parse(record.expiresAt) : bySetting);
    if (!(clock() < expiresAt)) {
      await expire(record);
      options.onChange();
      const lifetime = Math.round((expiresAt - signedInAt) / DAY_MS);
      const days = Number.isFinite(lifetime) ? lifetime : offlineCopyDays();
      return { step: 'unavailable', message: `The offline copy was deleted: nobody signed in with the portal for ${days} days. Sign in with the portal to make a new one; your drafts are kept.`, reason: 'expired', days };
    }
    // The attempt counts before scrypt runs, and unlocks run one at a time: parallel calls cannot pass the limit.
    const before = await guards.get(origin, record.email);
    if (before.failedUnlocks >= MAX_OFFLINE_UNLOCK_ATTEMPTS) return { step: 'locked' };
    const counted = await guards.update(origin, record.email, (guard) => ({ ...guard, failedUnlocks: guard.failedUnlocks + 1 }));
    const wrappingKey = await checkPassword(password, record.verifier);
    if (!wrappingKey) {
      const attemptsLeft = Math.max(0, MAX_OFFLINE_UNLOCK_ATTEMPTS - counted.failedUnlocks);
      log.info('offline: wrong password for offline access', { attemptsLeft });
      options.onChange();
      return attemptsLeft === 0 ? { step: 'locked' } : { step: 'invalid_password', attemptsLeft };
    }
    const key = unwrapDataKey(wrappingKey, record.wrappedKey, record.id);
    wrappingKey.fill(0);
    if (!key) return { step: 'unavailable', message: CHANGED_RECORD_MESSAGE, reason: 'record_changed' };
    const snapshot = await openSnapshot(origin, record.email, key);
    const user = snapshot.user();
    if (!user) {
      if (snapshot.problem) return { step: 'unavailable', message: snapshot.problem.slice(0, 300), reason: 'file_problem', ...(snapshot.problemDetail ? { problem: snapshot.problemDetail } : {}) };
      return { step: 'no_offline_copy' };
    }
    await guards.update(origin, record.email, (guard) => ({ ...guard, failedUnlocks: 0 }));
    offlineSession = { portalOrigin: origin, email: record.email, user, key };
    await active?.snapshot?.close();
    active = { id: record.id, portalOrigin: origin, email: record.email, user, isOfflineSession: true, drafts: await openDrafts(origin, record.email, key), snapshot };
    log.info('offline: working offline');
    options.onChange();
    return { step: 'unlocked', user };
  }

  async function resolve(createDrafts: boolean): Promise<ActiveAccount | null> {
    const current = who();
    if (!current) {
      await active?.snapshot?.close();
      active = null;
      return null;
    }
    const id = accountIdOf(current.portalOrigin, current.email);
    if (active && active.id === id && active.isOfflineSession === current.isOfflineSession && (active.drafts || !createDrafts)) {
      active.user = current.user;
      return active;
    }
    const entry = accounts.get(current.portalOrigin, current.email);
    const wantsCopy = entry?.keepsOfflineCopy ?? false;
    const hasDraftsFile = existsSync(join(accountFolder(id), DRAFTS_FILE));
    const key = current.key ?? (await offlineDataKey(options.credentials, current.portalOrigin, current.email, createDrafts || wantsCopy || hasDraftsFile));
    const reuse = active && active.id === id && active.isOfflineSession === current.isOfflineSession ? active : null;
    if (!reuse) await active?.snapshot?.close();
    active = {
      id,
      portalOrigin: current.portalOrigin,
      email: current.email,
      user: current.user,
      isOfflineSession: current.isOfflineSession,
      drafts: reuse?.drafts ?? (key ? await openDrafts(current.portalOrigin, current.email, key) : null),
      snapshot: reuse?.snapshot ?? (key && wantsCopy ? await openSnapshot(current.portalOrigin, current.email, key) : null),
    };
    return active;
  }

  function markSynced(account: ActiveAccount): void {
    const entry = accounts.get(account.portalOrigin, account.email);
    if (!entry) return;
    try {
      accounts.put({ ...entry, syncedAt: account.snapshot?.syncedAt() ?? null });
    } catch (error) {
      log.warn('offline: could not note when the offline copy was updated', { error });
    }
  }

  const service: OfflineService = {
    active: () => active,

    ensureActive(ensureOptions = {}) {
      // One resolution at a time: two calls must not open the same file twice.
      const run = resolving.then(() => resolve(ensureOptions.createDrafts ?? false));
      resolving = run.catch(() => null);
      return run;
    },

    getState() {
      const origin = options.portalOrigin();
      const list = origin === null ? [] : accounts.list(origin).filter((account) => account.keepsOfflineCopy && account.verifier !== null);
      return {
        accounts: list.map((account) => ({ email: account.email, asOf: account.syncedAt, isLocked: (guards.cached(account.portalOrigin, account.email)?.failedUnlocks ?? 0) >= MAX_OFFLINE_UNLOCK_ATTEMPTS })),
        user: offlineSession?.portalOrigin === origin ? offlineSession.user : null,
        asOf: active?.snapshot?.syncedAt() ?? null,
      };
    },

    async unlock(input) {
      const forgetPassword = rememberSecret(input.password);
      const password = input.password;
      input.password = '';
      try {
        const origin = options.portalOrigin();
        if (!origin) return { step: 'no_offline_copy' };
        // One unlock at a time: each sees the count the one before it left.
        const run = unlocking.then(() => tryUnlock(origin, input.email, password));
        unlocking = run.catch(() => null);
        return await run;
      } finally {
        forgetPassword();
      }
    },

    leave() {
      if (offlineSession) {
        offlineSession = null;
        if (active?.isOfflineSession) {
          // Never rejects: a failed write is logged by the snapshot.
          void active.snapshot?.close();
          active = null;
        }
        log.info('offline: stopped working offline');
        options.onChange();
      }
      return service.getState();
    },

    async onPortalSignIn(signIn) {
      const { portalOrigin } = signIn;
      const email = signIn.user.email;
      const previous = accounts.get(portalOrigin, email);
      const id = accountIdOf(portalOrigin, email);
      // The password was just accepted by the portal: the data key is sealed again with a key derived from it.
      const wrappingKey = signIn.verifier ? takeWrappingKey(signIn.verifier) : null;
      const keepsOfflineCopy = signIn.keepOfflineCopy && signIn.verifier !== null && wrappingKey !== null;
      let wrappedKey: string | null = null;
      if (keepsOfflineCopy) {
        const dataKey = await offlineDataKey(options.credentials, portalOrigin, email, true);
        wrappedKey = dataKey ? wrapDataKey(wrappingKey, dataKey, id) : null;
      }
      wrappingKey?.fill(0);
      const guard = await guards.update(portalOrigin, email, (current) => ({ ...current, failedUnlocks: 0 }));
      // A write of the copy that was open may not land after the copy is removed below.
      await active?.snapshot?.close();
      const record = {
        id,
        portalOrigin,
        email,
        keepsOfflineCopy: keepsOfflineCopy && wrappedKey !== null,
        verifier: keepsOfflineCopy && wrappedKey !== null ? signIn.verifier : null,
        wrappedKey,
        signedInAt: iso(),
        expiresAt: keepsOfflineCopy && wrappedKey !== null ? new Date(clock() + offlineCopyDays() * DAY_MS).toISOString() : null,
        syncedAt: keepsOfflineCopy ? (previous?.syncedAt ?? null) : null,
      };
      accounts.put({ ...record, mac: recordMac(guard, authenticatedFields(record)) });
      if (!record.keepsOfflineCopy) await removeSealedFile(portalOrigin, email, 'employees');
      offlineSession = null;
      active = null;
      walk = null;
      const account = await service.ensureActive();
      if (account?.snapshot && !account.snapshot.user()) {
        account.snapshot.replaceAll(signIn.user, [], iso());
        // Small (no employees yet), and on disk before the sign-in is reported: Work offline has a copy from now on.
        await account.snapshot.flush();
      }
      options.onChange();
    },

    async listOffline(input) {
      const account = await service.ensureActive();
      const snapshot = account?.snapshot ?? null;
      if (!snapshot) return { rows: encodeEmployeeRows([]), total: 0, asOf: null };
      let page;
      try {
        // A row block made in the copy's worker: main passes it on without reading it.
        page = await snapshot.pageRows(input.offset, input.limit);
      } catch (error) {
        // The copy's worker stopped: the next read opens the copy again; the window loads from the portal meanwhile.
        log.warn('offline: a page of the offline copy could not be read', { error });
        throw new IpcFailure('storage', 'The offline copy could not be read just now. Nothing was lost; the list comes from the portal instead.');
      }
      return { rows: page.rows, total: page.total, asOf: page.syncedAt, since: account?.isOfflineSession ? null : page.portalAsOf };
    },

    observeListPage(input, page) {
      const account = active;
      if (!account?.snapshot || account.isOfflineSession) return;
      // Only the plain walk of every employee (what the grid loads) is a complete copy.
      if (input.q || (input.sort !== undefined && input.sort !== 'name') || input.order === 'desc') return;
      if (input.cursor === undefined) walk = { items: [...page.items], total: page.total, next: page.nextCursor, startedAt: iso(), portalAsOf: page.asOf ?? null };
      else if (walk && input.cursor === walk.next) {
        walk.items.push(...page.items);
        walk.next = page.nextCursor;
      } else return;
      if (walk.next !== null) return;
      const complete = walk;
      walk = null;
      if (complete.items.length < complete.total) return;
      account.snapshot.replaceAll(account.user, complete.items, complete.startedAt, complete.portalAsOf);
      markSynced(account);
      options.onChange();
    },

    applyEmployees(employees) {
      const account = active;
      if (!account?.snapshot || employees.length === 0) return;
      account.snapshot.merge(employees);
    },

    applyDelta(delta) {
      const account = active;
      if (!account?.snapshot || account.isOfflineSession) return;
      account.snapshot.applyDelta({ items: delta.items, deleted: delta.deleted, syncedAt: iso(), portalAsOf: delta.asOf });
      markSynced(account);
      options.onChange();
    },

    async refreshFromPortal() {
      const account = active;
      const snapshot = account?.snapshot;
      if (!account || account.isOfflineSession || !snapshot || snapshot.size() === 0) return 0;
      // A copy made before the portal told its time starts from its newest change (deletions since then included).
      const since = snapshot.portalAsOf() ?? (await snapshot.newestUpdate());
      if (since === null) return 0;
      const changes = await fetchEmployeeChanges(options.portal(), since);
      // Too old for a delta: the next full load of the list makes a new copy.
      if (active !== account || !changes.complete) return 0;
      service.applyDelta(changes);
      return changes.items.length + changes.deleted.length;
    },

    async wipeAfterSignOut(account, drafts) {
      // No write of this copy may land after it is removed.
      await account.snapshot?.close();
      const hasDrafts = (account.drafts?.drafts().length ?? 0) > 0;
      if (active?.id === account.id) active = null;
      walk = null;
      await removeSealedFile(account.portalOrigin, account.email, 'employees');
      if (drafts === 'keep' && hasDrafts) {
        const entry = accounts.get(account.portalOrigin, account.email);
        if (entry) accounts.put({ ...entry, keepsOfflineCopy: false, verifier: null, wrappedKey: null, syncedAt: null, mac: null });
        log.info('offline: signed out; unsynced drafts kept encrypted for the next sign-in');
      } else {
        rmSync(accountFolder(account.id), { recursive: true, force: true });
        accounts.remove(account.portalOrigin, account.email);
        try {
          await forgetOfflineDataKey(options.credentials, account.portalOrigin, account.email);
          await guards.forget(account.portalOrigin, account.email);
        } catch (error) {
          log.warn('offline: could not remove the offline key from the keychain', { error });
        }
        log.info('offline: signed out; offline data removed');
      }
      options.onChange();
    },

    async dispose() {
      await active?.snapshot?.flush();
      await sealer.dispose();
    },
  };
  return service;
}

/** For channels that need someone signed in (with the portal or offline). */
export function requireAccount(account: ActiveAccount | null): ActiveAccount {
  if (!account) throw new IpcFailure('unauthenticated', 'Sign in first.');
  return account;
}
