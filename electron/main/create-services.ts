import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { IpcFailure, type Settings } from '../../common/ipc';
import type { DraftsService } from './offline/drafts-service';
import type { OfflineService } from './offline/offline-service';
import { wireOffline } from './offline-wiring';
import type { SignOutChannel } from './offline/offline-aware-sign-out';
import { channelHandlers } from './channel-handlers';
import type { ChannelHandlers } from './ipc/handlers';
import { makeVerifier } from './infra/offline-verifier';
import type { SyncEngine } from './offline/sync-engine';
import { wireImport } from './import-wiring';
import type { ImportFileDialog, ImportService } from './import/import-service';
import { createLogger, type Logger } from './log';
import { createAuthService, type AuthService } from './services/auth';
import { delay, loggingBackgroundRunner } from './infra/background';
import { createConnectionService, type ConnectionService } from './services/connection';
import { createCredentialStore, keychainKindFromEnvironment, trackKeychainWrites, type CredentialStore, type CredentialStoreKind } from './infra/credential-store';
import type { EmployeesService } from './services/employees';
import { createNumberChangesService, type NumberChangesService } from './services/number-changes';
import { createEmitter, type ServiceEmitter } from './infra/events';
import { createPortalClient, type PortalClient, type PortalEndpoint } from './infra/portal-client';
import { rememberedSessionFile } from './services/remembered-session';
import { createLaunchPortalService, type LaunchPortalService } from './services/launch-portal';
import { createSettingsService, readCaFile, type SettingsService } from './services/settings';
import { createLanguageService, type LanguageService } from './services/language';

export interface ServicesPortalOption {
  url: string;
  /** PEM text trusted for this portal for this run only (the demo portal's self-signed certificate). Not persisted. */
  caPem?: string;
  caFile?: string;
  certificatePin?: string;
  isDemo?: boolean;
  /**
   * Given to a packaged app at launch: only proposed to the admin (`settings:get-launch-portal`),
   * neither used nor saved until they confirm it.
   */
  needsConfirmation?: boolean;
}

export interface CreateServicesOptions {
  userDataDir: string;
  /**
   * A portal for this run (the launcher's demo portal, `--portal-url`). It is written to the
   * settings, so `settings:get` shows what is in use; `caPem` stays in memory.
   */
  portal?: ServicesPortalOption;
  /** 'os' (default) or 'memory' (tests only; also chosen by PORTAL_ADMIN_KEYCHAIN=memory). */
  keychain?: CredentialStoreKind;
  /** Test knob: one store shared by several service lifetimes (a restart with the in-memory keychain). */
  credentials?: CredentialStore;
  clock?: () => number;
  log?: Logger;
  /** Test knobs. */
  timeouts?: { connectMs?: number; requestMs?: number };
  /** Probe the portal's health on a schedule (default true). */
  probeConnection?: boolean;
  /**
   * How long `createServices` waits for a remembered sign-in to be restored before returning
   * (default 5 s). 0: not at all, the restore goes on in the background (the desktop window
   * opens at once and follows `auth:state-changed`).
   */
  restoreWaitMs?: number;
  /** How long `dispose()` waits for a running sync, a keychain write and a restore to finish (default 4 s). */
  disposeWaitMs?: number;
  /** Test knob: how long offline-copy writes are gathered (default 1 s). */
  snapshotWriteDelayMs?: number;
  /** The native Open dialog for import files (Electron); absent in browser mode. */
  importFileDialog?: ImportFileDialog;
  /** The OS file dialog for the portal's CA certificate (the Electron shell); browser mode has none. */
  chooseCaFile?: () => Promise<{ name: string; pem: string } | null>;
  /** The OS's preferred languages (Electron's `app.getPreferredSystemLanguages()`); browser mode has none. */
  systemLanguages?: () => readonly string[];
}

export interface Services {
  /** What answers each IPC channel (channel-handlers.ts), for the gate. */
  handlers: ChannelHandlers;
  auth: AuthService;
  employees: EmployeesService;
  numberChanges: NumberChangesService;
  drafts: DraftsService;
  offline: OfflineService;
  sync: SyncEngine;
  imports: ImportService;
  /** `auth:sign-out`: offline/offline-aware-sign-out.ts, which asks about unsynced drafts, then signs out and wipes the offline copy. */
  signOut: SignOutChannel;
  settings: SettingsService;
  /** A portal given at launch to a packaged app, until the admin answers. */
  launchPortal: LaunchPortalService;
  /** The Language setting (per profile) and the OS's languages. */
  language: LanguageService;
  connection: ConnectionService;
  credentials: CredentialStore;
  emitter: ServiceEmitter;
  log: Logger;
  /** The current portal's client (IpcFailure('not_configured') when no portal is set). */
  portal(): PortalClient;
  dispose(): Promise<void>;
}

function sameTrust(a: Settings, b: Settings): boolean {
  return a.portalUrl === b.portalUrl && a.caFile === b.caFile && a.certificatePin === b.certificatePin;
}

/** The composition root of main's services: hand-wired, no container. Plain Node: no `electron` import. */
export async function createServices(options: CreateServicesOptions): Promise<Services> {
  mkdirSync(options.userDataDir, { recursive: true, mode: 0o700 });
  const log = options.log ?? createLogger({ directory: join(options.userDataDir, 'logs'), level: 'info' });
  const clock = options.clock ?? Date.now;
  const runInBackground = loggingBackgroundRunner(log);
  const emitter = createEmitter((error) => log.error('events: a listener failed', { error }));
  const settingsStore = createSettingsService({ userDataDir: options.userDataDir, log, now: clock });
  const credentials = trackKeychainWrites(
    options.credentials ??
      createCredentialStore({
        kind: options.keychain ?? keychainKindFromEnvironment(),
        onLoadFailure: (error) => log.error('keychain: the system keychain module could not be loaded', { error }),
      }),
  );
  if (credentials.kind === 'memory') log.warn('keychain: using the in-memory store (tests only); nothing is remembered across restarts');

  let runtimeCa: { url: string; pem: string } | null = null;
  if (options.portal && !options.portal.needsConfirmation) {
    const url = options.portal.url.replace(/\/+$/, '');
    if (options.portal.caPem) runtimeCa = { url, pem: options.portal.caPem };
    settingsStore.update({
      portalUrl: url,
      caFile: options.portal.caFile ?? null,
      certificatePin: options.portal.certificatePin ?? null,
      isDemoPortal: options.portal.isDemo ?? false,
    });
  }

  // The portal client for the current settings, built on first use and rebuilt when they change.
  let client: PortalClient | null = null;
  let clientError: IpcFailure | null = null;
  let isDisposed = false;
  function buildClient(): void {
    client?.dispose();
    client = null;
    clientError = null;
    const settings = settingsStore.get();
    if (!settings.portalUrl) return;
    try {
      const caPems: string[] = [];
      if (runtimeCa && runtimeCa.url === settings.portalUrl) caPems.push(runtimeCa.pem);
      if (settings.caFile) caPems.push(readCaFile(settings.caFile));
      const endpoint: PortalEndpoint = { url: settings.portalUrl, caPems, certificatePin: settings.certificatePin };
      client = createPortalClient({
        endpoint,
        tokens: auth.tokens,
        connectTimeoutMs: options.timeouts?.connectMs,
        requestTimeoutMs: options.timeouts?.requestMs,
        onReachability: (isReachable) => connection.report(isReachable),
        log,
      });
    } catch (error) {
      clientError =
        error instanceof IpcFailure && error.code !== 'validation'
          ? error
          : new IpcFailure('tls_untrusted', "The portal's certificate file from Settings cannot be used. Choose it again in Settings.");
      log.warn('portal: cannot set up the client', { code: clientError.code });
    }
  }
  function currentClient(): PortalClient {
    if (isDisposed) throw new IpcFailure('offline', 'Portal Admin is shutting down.');
    if (clientError) throw clientError;
    if (!client) throw new IpcFailure('not_configured', 'No portal is set yet. Enter its address in Settings.');
    return client;
  }

  const auth = createAuthService({
    portal: currentClient,
    portalUrl: () => settingsStore.get().portalUrl,
    credentials,
    remembered: rememberedSessionFile(options.userDataDir, log),
    emitter,
    log,
    clock,
    makeVerifier: (password) => makeVerifier(password),
    onSignedIn: (signIn) => offline.onPortalSignIn(signIn),
    onRememberMeChosen: (rememberMe) => {
      try {
        settingsStore.update({ rememberMe });
      } catch (error) {
        log.warn('settings: could not store the remember-me choice', { error });
      }
    },
  });
  const connection = createConnectionService({
    portal: () => client,
    emitter,
    log,
    clock,
  });
  buildClient();

  /**
   * After the portal or its trust changed: sign out of the old portal (revoking there, with the old
   * client) before switching; then probe the new one and look for a remembered sign-in for it.
   */
  async function applyPortalChange(before: Settings, after: Settings): Promise<void> {
    if (sameTrust(before, after)) return;
    const isOtherPortal = before.portalUrl !== after.portalUrl;
    // Another CA or pin is another server as far as trust goes, even at the same address: the
    // session (and the remembered sign-in) made under the old trust ends and is revoked first.
    // The Sign out button's way, without its question: unsynced drafts are kept for the next
    // sign-in, the offline copy goes. auth.signOut() after it also covers an offline session.
    await signOut({ drafts: 'keep' });
    await auth.signOut();
    buildClient();
    connection.reset();
    if (isOtherPortal) runInBackground('restoring a remembered sign-in', () => auth.restore());
    emitter.emit('auth:state-changed', await auth.getState());
  }

  const settings: SettingsService = {
    get: () => settingsStore.get(),
    update(patch) {
      const before = settingsStore.get();
      const after = settingsStore.update(patch);
      runInBackground('switching the portal', () => applyPortalChange(before, after));
      return after;
    },
    onChange: (listener) => settingsStore.onChange(listener),
    async chooseCaFile() {
      if (!options.chooseCaFile) return settingsStore.chooseCaFile();
      return { isSupported: true, file: await options.chooseCaFile() };
    },
    async setPortal(input) {
      const before = settingsStore.get();
      const after = await settingsStore.setPortal(input);
      await applyPortalChange(before, after);
      return after;
    },
  };

  const launchPortal = createLaunchPortalService({
    proposed: options.portal?.needsConfirmation ? { url: options.portal.url, caFile: options.portal.caFile } : null,
    settings,
    log,
  });

  const { offline, sync, drafts, employees, signOut, stop: stopOffline } = wireOffline({
    userDataDir: options.userDataDir,
    credentials,
    auth,
    connection,
    emitter,
    portal: currentClient,
    log,
    clock,
    snapshotWriteDelayMs: options.snapshotWriteDelayMs,
    offlineCopyDays: () => settingsStore.get().offlineCopyDays,
  });

  const imports = wireImport({ auth, drafts, offline, connection, portal: currentClient, emitter, fileDialog: options.importFileDialog, log });
  const numberChanges = createNumberChangesService({ portal: currentClient, auth, onSaved: (saved) => offline.applyEmployees([saved]) });

  if (options.probeConnection ?? true) connection.start();

  // A remembered sign-in is restored before the window asks for the state, unless the portal is
  // slow to answer: then it finishes in the background and `auth:state-changed` tells the window.
  const restoring = auth.restore().catch((error: unknown) => {
    log.warn('auth: restoring the remembered sign-in failed', { code: error instanceof IpcFailure ? error.code : 'unknown' });
    return false;
  });
  const restoreWaitMs = options.restoreWaitMs ?? 5_000;
  if (restoreWaitMs > 0) await Promise.race([restoring, delay(restoreWaitMs)]);

  log.info('services: started', { keychain: credentials.kind, hasPortal: client !== null });
  const services: Omit<Services, 'handlers'> = {
    auth,
    employees,
    numberChanges,
    drafts,
    offline,
    sync,
    imports,
    signOut,
    settings,
    launchPortal,
    language: createLanguageService({ userDataDir: options.userDataDir, log, systemLanguages: options.systemLanguages }),
    connection,
    credentials,
    emitter,
    log,
    portal: currentClient,
    async dispose() {
      if (isDisposed) return;
      connection.stop();
      const offlineStopped = stopOffline();
      auth.dispose();
      // A sync batch in flight, a refresh token being written to (or removed from) the keychain
      // and a restore end before the client goes; bounded, so a hung portal or keychain cannot
      // keep the app from quitting.
      await Promise.race([
        Promise.all([restoring, sync.whenIdle(), credentials.whenWritesSettled(), offlineStopped]),
        delay(options.disposeWaitMs ?? 4_000),
      ]);
      isDisposed = true;
      client?.dispose();
      client = null;
      log.info('services: stopped');
    },
  };
  return { ...services, handlers: channelHandlers(services) };
}
