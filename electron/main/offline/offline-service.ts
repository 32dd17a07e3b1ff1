import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { employeeListSchema, type Employee, type EmployeeList, type PortalUser } from '../../../common/api';
import { MAX_OFFLINE_UNLOCK_ATTEMPTS, type OfflineState, type OfflineUnlockStep } from '../../../common/drafts';
import { IpcFailure, type ChannelOutput, type ChannelParsedInput } from '../../../common/ipc';
import { rememberSecret, type Logger } from '../log';
import type { CredentialStore } from '../services/credential-store';
import type { PortalClient } from '../services/portal-client';
import { openDraftStore, type DraftStore } from './draft-store';
import { openEmployeeSnapshot, type EmployeeSnapshot } from './employee-snapshot';
import { accountIdOf, createOfflineAccounts, type OfflineAccount, type OfflineAccounts } from './offline-accounts';
import { forgetOfflineDataKey, offlineDataKey } from './offline-keys';
import { checkVerifier, type Verifier } from './offline-verifier';

/**
 * Offline data of the signed-in (or offline-unlocked) account: which account is active, its
 * encrypted drafts and offline employee list, "Work offline" with the local password verifier,
 * and what sign-out does to all of it.
 *
 * Folder layout under the profile: `offline/accounts.json` (no employee data) and
 * `offline/<account id>/{drafts,employees}.sealed` (AES-256-GCM, key in the OS keychain).
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
  /** Made from the password the portal accepted; null when no offline copy is wanted. */
  verifier: Verifier | null;
}

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
  /** Brings the offline copy up to date with `changedSince` (portal session only). */
  refreshFromPortal(): Promise<number>;
  /** Sign-out of a portal session: wipes the offline copy, keeps or discards the drafts. */
  wipeAfterSignOut(account: ActiveAccount, drafts: 'keep' | 'discard'): Promise<void>;
  dispose(): void;
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
}

export function createOfflineService(options: OfflineServiceOptions): OfflineService {
  const clock = options.clock ?? Date.now;
  const folder = join(options.userDataDir, OFFLINE_FOLDER);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const accounts: OfflineAccounts = createOfflineAccounts(folder, options.log, clock);
  const log = options.log;
  let offlineSession: { portalOrigin: string; email: string; user: PortalUser } | null = null;
  let active: ActiveAccount | null = null;
  let resolving: Promise<unknown> = Promise.resolve();
  let walk: { items: Employee[]; total: number; next: string | null; startedAt: string } | null = null;

  const iso = () => new Date(clock()).toISOString();
  const accountFolder = (id: string) => join(folder, id);

  function openSnapshot(id: string, key: Buffer): EmployeeSnapshot {
    return openEmployeeSnapshot({ file: join(accountFolder(id), SNAPSHOT_FILE), key, account: id, log, now: clock, writeDelayMs: options.snapshotWriteDelayMs });
  }

  function who(): { portalOrigin: string; email: string; user: PortalUser; isOfflineSession: boolean } | null {
    const user = options.sessionUser();
    const origin = options.portalOrigin();
    if (user && origin) return { portalOrigin: origin, email: user.email, user, isOfflineSession: false };
    if (offlineSession && offlineSession.portalOrigin === origin) return { ...offlineSession, isOfflineSession: true };
    return null;
  }

  async function resolve(createDrafts: boolean): Promise<ActiveAccount | null> {
    const current = who();
    if (!current) {
      active?.snapshot?.flush();
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
    const key = await offlineDataKey(options.credentials, current.portalOrigin, current.email, createDrafts || wantsCopy || hasDraftsFile);
    const reuse = active && active.id === id ? active : null;
    active?.snapshot?.flush();
    active = {
      id,
      portalOrigin: current.portalOrigin,
      email: current.email,
      user: current.user,
      isOfflineSession: current.isOfflineSession,
      drafts: reuse?.drafts ?? (key ? openDraftStore({ file: join(accountFolder(id), DRAFTS_FILE), key, account: id, log, now: clock }) : null),
      snapshot: reuse?.snapshot ?? (key && wantsCopy ? openSnapshot(id, key) : null),
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
        accounts: list.map((account) => ({ email: account.email, asOf: account.syncedAt, isLocked: account.failedUnlocks >= MAX_OFFLINE_UNLOCK_ATTEMPTS })),
        user: offlineSession?.portalOrigin === origin ? offlineSession.user : null,
        asOf: active?.snapshot?.syncedAt() ?? null,
      };
    },

    async unlock(input) {
      const forgetPassword = rememberSecret(input.password);
      try {
        const origin = options.portalOrigin();
        const entry: OfflineAccount | undefined = origin === null ? undefined : accounts.get(origin, input.email);
        if (!origin || !entry || !entry.keepsOfflineCopy || !entry.verifier) return { step: 'no_offline_copy' };
        if (entry.failedUnlocks >= MAX_OFFLINE_UNLOCK_ATTEMPTS) return { step: 'locked' };
        const isRight = await checkVerifier(input.password, entry.verifier);
        if (!isRight) {
          const failedUnlocks = entry.failedUnlocks + 1;
          accounts.put({ ...entry, failedUnlocks });
          log.info('offline: wrong password for offline access', { attemptsLeft: Math.max(0, MAX_OFFLINE_UNLOCK_ATTEMPTS - failedUnlocks) });
          return failedUnlocks >= MAX_OFFLINE_UNLOCK_ATTEMPTS ? { step: 'locked' } : { step: 'invalid_password', attemptsLeft: MAX_OFFLINE_UNLOCK_ATTEMPTS - failedUnlocks };
        }
        const key = await offlineDataKey(options.credentials, origin, entry.email, false);
        const snapshot = key ? openSnapshot(entry.id, key) : null;
        const user = snapshot?.user() ?? null;
        if (!user) return { step: 'no_offline_copy' };
        accounts.put({ ...entry, failedUnlocks: 0 });
        offlineSession = { portalOrigin: origin, email: entry.email, user };
        active = null;
        await service.ensureActive();
        log.info('offline: working offline');
        options.onChange();
        return { step: 'unlocked', user };
      } finally {
        input.password = '';
        forgetPassword();
      }
    },

    leave() {
      if (offlineSession) {
        offlineSession = null;
        if (active?.isOfflineSession) {
          active.snapshot?.flush();
          active = null;
        }
        log.info('offline: stopped working offline');
        options.onChange();
      }
      return service.getState();
    },

    async onPortalSignIn(signIn) {
      const previous = accounts.get(signIn.portalOrigin, signIn.user.email);
      const id = accountIdOf(signIn.portalOrigin, signIn.user.email);
      accounts.put({
        id,
        portalOrigin: signIn.portalOrigin,
        email: signIn.user.email,
        keepsOfflineCopy: signIn.keepOfflineCopy,
        verifier: signIn.keepOfflineCopy ? signIn.verifier : null,
        failedUnlocks: 0,
        syncedAt: signIn.keepOfflineCopy ? (previous?.syncedAt ?? null) : null,
      });
      if (!signIn.keepOfflineCopy) rmSync(join(accountFolder(id), SNAPSHOT_FILE), { force: true });
      offlineSession = null;
      active = null;
      walk = null;
      const account = await service.ensureActive();
      if (account?.snapshot && !account.snapshot.user()) account.snapshot.replaceAll(signIn.user, [], iso());
      options.onChange();
    },

    async listOffline(input) {
      const account = await service.ensureActive();
      const snapshot = account?.snapshot ?? null;
      if (!snapshot) return { items: [], total: 0, asOf: null };
      return { items: snapshot.items().slice(input.offset, input.offset + input.limit), total: snapshot.size(), asOf: snapshot.syncedAt() };
    },

    observeListPage(input, page) {
      const account = active;
      if (!account?.snapshot || account.isOfflineSession) return;
      // Only the plain walk of every employee (what the grid loads) is a complete copy.
      if (input.q || (input.sort !== undefined && input.sort !== 'name') || input.order === 'desc') return;
      if (input.cursor === undefined) walk = { items: [...page.items], total: page.total, next: page.nextCursor, startedAt: iso() };
      else if (walk && input.cursor === walk.next) {
        walk.items.push(...page.items);
        walk.next = page.nextCursor;
      } else return;
      if (walk.next !== null) return;
      const complete = walk;
      walk = null;
      if (complete.items.length < complete.total) return;
      account.snapshot.replaceAll(account.user, complete.items, complete.startedAt);
      markSynced(account);
      options.onChange();
    },

    applyEmployees(employees) {
      const account = active;
      if (!account?.snapshot || employees.length === 0) return;
      account.snapshot.merge(employees);
    },

    async refreshFromPortal() {
      const account = active;
      const snapshot = account?.snapshot;
      if (!account || account.isOfflineSession || !snapshot || snapshot.size() === 0) return 0;
      const newest = snapshot.newestUpdate();
      // Two changes in the same millisecond: ask from a little earlier; merging by version makes repeats harmless.
      const since = newest === null ? undefined : new Date(Date.parse(newest) - 2_000).toISOString();
      const startedAt = iso();
      const changed: Employee[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 1_000; page++) {
        const answer = await options.portal().request({
          method: 'GET',
          path: '/employees',
          query: { changedSince: since, sort: 'name', order: 'asc', limit: 1000, cursor },
          schema: employeeListSchema,
        });
        changed.push(...answer.items);
        if (answer.nextCursor === null) break;
        cursor = answer.nextCursor;
      }
      if (active !== account) return 0;
      snapshot.merge(changed, startedAt);
      markSynced(account);
      options.onChange();
      return changed.length;
    },

    async wipeAfterSignOut(account, drafts) {
      account.snapshot?.flush();
      const hasDrafts = (account.drafts?.drafts().length ?? 0) > 0;
      if (active?.id === account.id) active = null;
      walk = null;
      rmSync(join(accountFolder(account.id), SNAPSHOT_FILE), { force: true });
      if (drafts === 'keep' && hasDrafts) {
        const entry = accounts.get(account.portalOrigin, account.email);
        if (entry) accounts.put({ ...entry, keepsOfflineCopy: false, verifier: null, syncedAt: null });
        log.info('offline: signed out; unsynced drafts kept encrypted for the next sign-in');
      } else {
        rmSync(accountFolder(account.id), { recursive: true, force: true });
        accounts.remove(account.portalOrigin, account.email);
        try {
          await forgetOfflineDataKey(options.credentials, account.portalOrigin, account.email);
        } catch (error) {
          log.warn('offline: could not remove the offline key from the keychain', { error });
        }
        log.info('offline: signed out; offline data removed');
      }
      options.onChange();
    },

    dispose() {
      active?.snapshot?.flush();
    },
  };
  return service;
}

/** For channels that need someone signed in (with the portal or offline). */
export function requireAccount(account: ActiveAccount | null): ActiveAccount {
  if (!account) throw new IpcFailure('unauthenticated', 'Sign in first.');
  return account;
}
