import type { Logger } from './log';
import type { AuthService } from './services/auth';
import { loggingBackgroundRunner } from './infra/background';
import type { ConnectionService } from './services/connection';
import type { CredentialStore } from './infra/credential-store';
import { createEmployeesService, type EmployeesService } from './services/employees';
import type { ServiceEmitter } from './infra/events';
import type { PortalClient } from './infra/portal-client';
import { createDraftsFeed } from './offline/drafts-feed';
import { createDraftsService, type DraftsService } from './offline/drafts-service';
import { offlineAwareSignOut, type SignOutChannel } from './offline/offline-aware-sign-out';
import { offlineFirstEmployees } from './offline/offline-first-employees';
import { createOfflineService, type OfflineService } from './offline/offline-service';
import { portalSyncTransport } from './offline/portal-sync-transport';
import { createSyncEngine, type SyncEngine } from './offline/sync-engine';

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
  /** The setting: days without an online sign-in after which the offline copy is deleted. */
  offlineCopyDays: () => number;
}

export interface OfflineWiring {
  offline: OfflineService;
  sync: SyncEngine;
  drafts: DraftsService;
  /** `employees:*`: offline/offline-first-employees.ts over services/employees.ts. */
  employees: EmployeesService;
  /** `auth:sign-out`: offline/offline-aware-sign-out.ts over services/auth.ts. */
  signOut: SignOutChannel;
  /** Stops at once; resolves when the offline copy's pending write is on disk and its worker ended. */
  stop(): Promise<void>;
}

export function wireOffline(options: OfflineWiringOptions): OfflineWiring {
  const runInBackground = loggingBackgroundRunner(options.log);
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

  // drafts:changed and offline:changed carry whole states: gather bursts (a sync run) into one event per 150 ms
  // (while sync runs, drafts:progress with what changed instead: drafts-feed.ts).
  const draftsFeed = createDraftsFeed();
  let draftsEventTimer: NodeJS.Timeout | null = null;
  function announceOfflineChange(): void {
    if (isStopped || draftsEventTimer) return;
    draftsEventTimer = setTimeout(() => {
      draftsEventTimer = null;
      if (isStopped) return;
      options.emitter.emit('offline:changed', offline.getState());
      const next = draftsFeed.next(drafts.snapshotState());
      if (next.event === 'drafts:progress') options.emitter.emit('drafts:progress', next.payload);
      else options.emitter.emit('drafts:changed', next.payload);
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
    offlineCopyDays: options.offlineCopyDays,
  });
  const sync = createSyncEngine({
    store: () => {
      const account = offline.active();
      return account && !account.isOfflineSession ? account.drafts : null;
    },
    gate: () => {
      const user = sessionUser();
      const account = offline.active();
      if (!user) return { ok: false, reason: 'Sign in with the portal (password and second factor) to send your drafts.', code: 'sign_in' };
      if (!account || account.isOfflineSession || account.email !== user.email) return { ok: false, reason: 'Preparing your drafts…', code: 'preparing' };
      if (options.connection.getState().state === 'offline') return { ok: false, reason: 'The portal cannot be reached. Your drafts will be sent when it is back.', code: 'portal_unreachable' };
      if (user.role !== 'admin') return { ok: false, reason: 'Only a portal administrator may change numbers.', code: 'not_admin' };
      return { ok: true, transport: portalSyncTransport(options.portal()) };
    },
    onEmployees: (employees) => offline.applyEmployees(employees),
    onChange: announceOfflineChange,
    log: options.log,
    clock: options.clock,
  });
  const drafts = createDraftsService({ offline, engine: sync, onChange: announceOfflineChange, log: options.log, clock: options.clock });

  /** A signed-in portal session (new, restored) or the portal back online: the drafts go, the offline copy catches up. */
  function afterSessionOrConnection(): void {
    runInBackground('preparing the offline data', async () => {
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

  const employees = offlineFirstEmployees(createEmployeesService({ portal: options.portal, auth: options.auth }), offline);
  const signOut = offlineAwareSignOut({ offline, auth: options.auth, log: options.log });

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
      if (draftsEventTimer) clearTimeout(draftsEventTimer);
      return offline.dispose();
    },
  };
}
