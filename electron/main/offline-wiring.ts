import { employeeSchema } from '../../common/api';
import { IpcFailure, type ChannelOutput, type ChannelParsedInput } from '../../common/ipc';
import type { Logger } from './log';
import { KEYCHAIN_NOT_CLEARED, type AuthService } from './services/auth';
import { runInBackground } from './infra/background';
import type { ConnectionService } from './services/connection';
import type { CredentialStore } from './infra/credential-store';
import { createEmployeesService, type EmployeesService } from './services/employees';
import type { ServiceEmitter } from './infra/events';
import type { PortalClient } from './infra/portal-client';
import { createDraftsService, type DraftsService } from './offline/drafts-service';
import { createOfflineService, type ActiveAccount, type OfflineService } from './offline/offline-service';
import { portalSyncTransport } from './offline/portal-sync-transport';
import { createSyncEngine, type SyncEngine } from './offline/sync-engine';

const OFFLINE_DATA_NOT_CLEARED =
  'Offline data of this account on this computer (drafts, the offline copy) could not be opened to be removed; it stays encrypted and unreadable without your keychain.';

/**
 * Offline drafting wired into main's services (the composition root calls this once): the offline
 * data of the active account, the sync engine and when it runs, the drafts channels, the
 * employees service that feeds the offline copy, sign-out that asks about unsynced drafts, and the
 * gathered `drafts:changed` / `offline:changed` events.
 */
export interface OfflineWiringOptions {
  userDataDir: string;
  credentials: CredentialStore;
  auth: AuthService;
  connection: ConnectionService;
  emitter: ServiceEmitter;
  /** The current portal's client (throws when none is set). */
  portal: () => PortalClient;
  log: Logger;
  clock: () => number;
  snapshotWriteDelayMs?: number;
}

export interface OfflineWiring {
  offline: OfflineService;
  sync: SyncEngine;
  drafts: DraftsService;
  /** `employees:*`: the portal's, with full loads kept as the offline copy and saves applied to it. */
  employees: EmployeesService;
  /** `auth:sign-out`: asks about unsynced drafts, then signs out and wipes the offline copy. */
  signOut(input: ChannelParsedInput<'auth:sign-out'>): Promise<ChannelOutput<'auth:sign-out'>>;
  stop(): void;
}

export function wireOffline(options: OfflineWiringOptions): OfflineWiring {
  let isStopped = false;
  function sessionUser() {
    try {
      return options.auth.currentUser();
    } catch {
      return null;
    }
  }
  function portalOrigin(): string | null {
    try {
      return options.portal().origin;
    } catch {
      return null;
    }
  }

  // drafts:changed and offline:changed carry whole states: gather bursts (a sync run) into one event per 150 ms.
  let draftsEventTimer: NodeJS.Timeout | null = null;
  function announceOfflineChange(): void {
    if (isStopped || draftsEventTimer) return;
    draftsEventTimer = setTimeout(() => {
      draftsEventTimer = null;
      if (isStopped) return;
      options.emitter.emit('offline:changed', offline.getState());
      options.emitter.emit('drafts:changed', drafts.snapshotState());
    }, 150);
    draftsEventTimer.unref();
  }

  const offline = createOfflineService({
    userDataDir: options.userDataDir,
    credentials: options.credentials,
    sessionUser,
    portalOrigin,
    portal: options.portal,
    onChange: announceOfflineChange,
    log: options.log,
    clock: options.clock,
    snapshotWriteDelayMs: options.snapshotWriteDelayMs,
  });
  const sync = createSyncEngine({
    store: () => {
      const account = offline.active();
      return account && !account.isOfflineSession ? account.drafts : null;
    },
    gate: () => {
      const user = sessionUser();
      const account = offline.active();
      if (!user) return { ok: false, reason: 'Sign in with the portal (password and second factor) to send your drafts.' };
      if (!account || account.isOfflineSession || account.email !== user.email) return { ok: false, reason: 'Preparing your drafts…' };
      if (options.connection.getState().state === 'offline') return { ok: false, reason: 'The portal cannot be reached. Your drafts will be sent when it is back.' };
      if (user.role !== 'admin') return { ok: false, reason: 'Only a portal administrator may change numbers.' };
      return { ok: true, transport: portalSyncTransport(options.portal()) };
    },
    onEmployee: (employee) => offline.applyEmployees([employee]),
    onChange: announceOfflineChange,
    log: options.log,
    clock: options.clock,
  });
  const drafts = createDraftsService({ offline, engine: sync, onChange: announceOfflineChange, log: options.log, clock: options.clock });

  /** A signed-in portal session (new, restored) or the portal back online: the drafts go, the offline copy catches up. */
  function afterSessionOrConnection(): void {
    runInBackground(options.log, 'preparing the offline data', async () => {
      const account = await offline.ensureActive();
      announceOfflineChange();
      if (!account || account.isOfflineSession) return;
      sync.kick();
      await offline.refreshFromPortal();
    });
  }
  const stopFollowingEvents = options.emitter.onEvent((event, payload) => {
    if (event === 'auth:state-changed' && (payload as { signedIn?: boolean }).signedIn) afterSessionOrConnection();
    if (event === 'connection:changed' && (payload as { state?: string }).state === 'online' && sessionUser()) afterSessionOrConnection();
  });

  const plainEmployees = createEmployeesService({ portal: options.portal, auth: options.auth });
  // Pages of the full list become the offline copy; saved employees update it.
  const employees: EmployeesService = {
    async list(input) {
      const page = await plainEmployees.list(input);
      offline.observeListPage(input, page);
      return page;
    },
    get: (input) => plainEmployees.get(input),
    async update(input) {
      try {
        const saved = await plainEmployees.update(input);
        offline.applyEmployees([saved]);
        return saved;
      } catch (error) {
        if (error instanceof IpcFailure && error.code === 'conflict' && error.extra.current) {
          const current = employeeSchema.safeParse(error.extra.current);
          if (current.success) offline.applyEmployees([current.data]);
        }
        throw error;
      }
    },
    async unlockSignIn(input) {
      const unlocked = await plainEmployees.unlockSignIn(input);
      offline.applyEmployees([unlocked]);
      return unlocked;
    },
  };

  /**
   * Whatever the offline data or the keychain does, the session ends in main and on the portal;
   * what could not be cleared on this computer is said in `notCleared`.
   */
  async function signOut(input: ChannelParsedInput<'auth:sign-out'>): Promise<ChannelOutput<'auth:sign-out'>> {
    let account: ActiveAccount | null = null;
    let unreachable: unknown = null;
    try {
      account = await offline.ensureActive();
    } catch (error) {
      // Unreadable offline data (no keychain for its key, a damaged file) cannot be wiped, but it
      // must not keep the session alive either: it stays encrypted on disk.
      unreachable = error;
      options.log.warn('offline: the offline data could not be opened at sign-out', { error });
    }
    if (account?.isOfflineSession) {
      offline.leave();
      return { revokedOnPortal: false, notCleared: [] };
    }
    const unsynced = account?.drafts?.drafts().length ?? 0;
    if (account && unsynced > 0 && input.drafts === undefined) {
      throw new IpcFailure(
        'unsynced_drafts',
        `You have ${unsynced} unsynced ${unsynced === 1 ? 'draft' : 'drafts'}. Choose whether to keep ${unsynced === 1 ? 'it' : 'them'} (encrypted on this computer) for your next sign-in, or discard ${unsynced === 1 ? 'it' : 'them'}.`,
      );
    }
    const result = await options.auth.signOut();
    const notCleared = [...result.notCleared];
    if (account) {
      try {
        await offline.wipeAfterSignOut(account, input.drafts ?? 'discard');
      } catch (error) {
        unreachable = error;
        options.log.warn('offline: wiping the offline data after sign-out failed', { error });
      }
    }
    if (unreachable) {
      const isKeychain = unreachable instanceof IpcFailure && unreachable.code === 'keychain_unavailable';
      const message = isKeychain ? KEYCHAIN_NOT_CLEARED : OFFLINE_DATA_NOT_CLEARED;
      if (!notCleared.includes(message)) notCleared.push(message);
    }
    return { revokedOnPortal: result.revokedOnPortal, notCleared };
  }

  return {
    offline,
    sync,
    drafts,
    employees,
    signOut,
    stop() {
      isStopped = true;
      sync.stop();
      stopFollowingEvents();
      offline.dispose();
      if (draftsEventTimer) clearTimeout(draftsEventTimer);
    },
  };
}
