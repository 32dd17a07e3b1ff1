import type { PortalApi } from '../../common/ipc/portal-api';
import { fail, type IpcResult } from '../../common/ipc/result';
import { bridgeStatus, onBridgeStatusChanged, type BridgeStatus } from '../platform';

/**
 * The one module of the UI that talks to `window.portal` (the Electron preload's object, or the
 * browser-mode bridge's): main.ts installs what connectPortal() resolved to, stores call these
 * functions. Tests install a fake PortalApi object.
 *
 * Calls are wrapped once more so that a broken transport (a rejected promise, a non-envelope
 * answer) becomes an `{ok:false}` result like any other error instead of an unhandled rejection.
 */
let installed: PortalApi | null = null;

export function installPortal(api: PortalApi): void {
  installed = api;
}

function api(): PortalApi {
  if (installed === null) throw new Error('The portal bridge is not connected yet (installPortal was not called).');
  return installed;
}

/** Calls that reach the portal over the network, so their outcome says whether it is reachable. */
export type PortalOutcome = 'reachable' | 'unreachable';
const outcomeListeners = new Set<(outcome: PortalOutcome) => void>();

/** Errors that the portal itself answered with: it was reached. */
const PORTAL_ANSWERS: ReadonlySet<string> = new Set([
  'invalid_credentials',
  'invalid_code',
  'challenge_expired',
  'locked',
  'rate_limited',
  'unauthenticated',
  'step_up_required',
  'forbidden',
  'not_found',
  'conflict',
  'validation',
  'server',
]);

function observe(result: IpcResult<unknown>): void {
  let outcome: PortalOutcome | null = null;
  if (result.ok || PORTAL_ANSWERS.has(result.error.code)) outcome = 'reachable';
  else if (result.error.code === 'offline' || result.error.code === 'timeout') outcome = 'unreachable';
  if (outcome !== null) for (const listener of outcomeListeners) listener(outcome);
}

/** Main announces connection changes only when they happen; the UI also learns from its own calls. */
export function onPortalOutcome(listener: (outcome: PortalOutcome) => void): () => void {
  outcomeListeners.add(listener);
  return () => {
    outcomeListeners.delete(listener);
  };
}

type Input<F> = F extends (input: infer I) => unknown ? I : never;
type Output<F> = F extends (input: never) => Promise<IpcResult<infer T>> ? T : never;

async function callPortal<F extends (input: never) => Promise<IpcResult<unknown>>>(
  pick: (portal: PortalApi) => F,
  input: Input<F>,
): Promise<IpcResult<Output<F>>> {
  const result = await call(pick, input);
  observe(result);
  return result;
}

async function call<F extends (input: never) => Promise<IpcResult<unknown>>>(
  pick: (portal: PortalApi) => F,
  input: Input<F>,
): Promise<IpcResult<Output<F>>> {
  try {
    const method = pick(api()) as unknown as (value: Input<F>) => Promise<unknown>;
    const result = await method(input);
    if (typeof result === 'object' && result !== null && typeof (result as { ok?: unknown }).ok === 'boolean') {
      return result as IpcResult<Output<F>>;
    }
    return fail('server', 'Portal Admin sent an unreadable answer.');
  } catch {
    return fail('offline', 'The connection to Portal Admin failed.');
  }
}

type Api = PortalApi;

export const portal = {
  auth: {
    getState: () => call((p: Api) => p.auth.getState, {}),
    startLogin: (input: Input<Api['auth']['startLogin']>) => callPortal((p: Api) => p.auth.startLogin, input),
    sendCode: (input: Input<Api['auth']['sendCode']>) => callPortal((p: Api) => p.auth.sendCode, input),
    verifyCode: (input: Input<Api['auth']['verifyCode']>) => callPortal((p: Api) => p.auth.verifyCode, input),
    signOut: (input: Input<Api['auth']['signOut']> = {}) => call((p: Api) => p.auth.signOut, input),
    startStepUp: () => callPortal((p: Api) => p.auth.startStepUp, {}),
    sendStepUpCode: (input: Input<Api['auth']['sendStepUpCode']>) => callPortal((p: Api) => p.auth.sendStepUpCode, input),
    verifyStepUp: (input: Input<Api['auth']['verifyStepUp']>) => callPortal((p: Api) => p.auth.verifyStepUp, input),
  },
  employees: {
    list: (input: Input<Api['employees']['list']>) => callPortal((p: Api) => p.employees.list, input),
    get: (input: Input<Api['employees']['get']>) => callPortal((p: Api) => p.employees.get, input),
    update: (input: Input<Api['employees']['update']>) => callPortal((p: Api) => p.employees.update, input),
    unlockSignIn: (input: Input<Api['employees']['unlockSignIn']>) => callPortal((p: Api) => p.employees.unlockSignIn, input),
    /**
     * The encrypted offline copy on this computer: answered by main, never by the portal; its row block
     * decoded and checked here. The decoder (and the employee schema's rules it checks with) loads on
     * first use, so the sign-in page's chunks stay without it.
     */
    listOffline: async (input: Input<Api['employees']['listOffline']>) => {
      const [{ decodeOfflinePage }, page] = await Promise.all([import('./offline-copy-pages'), call((p: Api) => p.employees.listOffline, input)]);
      return decodeOfflinePage(page);
    },
    history: (input: Input<Api['employees']['history']>) => callPortal((p: Api) => p.employees.history, input),
    /** What changed on the portal since the list held was loaded (reopening Manage Employees). */
    changes: (input: Input<Api['employees']['changes']>) => callPortal((p: Api) => p.employees.changes, input),
  },
  verification: {
    start: (input: Input<Api['verification']['start']>) => callPortal((p: Api) => p.verification.start, input),
    resend: (input: Input<Api['verification']['resend']>) => callPortal((p: Api) => p.verification.resend, input),
    confirm: (input: Input<Api['verification']['confirm']>) => callPortal((p: Api) => p.verification.confirm, input),
  },
  company: {
    getSettings: () => callPortal((p: Api) => p.company.getSettings, {}),
  },
  // Drafts and offline access live in main (on disk): their answers say nothing about the portal.
  drafts: {
    getState: () => call((p: Api) => p.drafts.getState, {}),
    save: (input: Input<Api['drafts']['save']>) => call((p: Api) => p.drafts.save, input),
    discard: (input: Input<Api['drafts']['discard']>) => call((p: Api) => p.drafts.discard, input),
    resolve: (input: Input<Api['drafts']['resolve']>) => call((p: Api) => p.drafts.resolve, input),
    syncNow: () => call((p: Api) => p.drafts.syncNow, {}),
    sendReviewed: () => call((p: Api) => p.drafts.sendReviewed, {}),
  },
  offline: {
    getState: () => call((p: Api) => p.offline.getState, {}),
    unlock: (input: Input<Api['offline']['unlock']>) => call((p: Api) => p.offline.unlock, input),
    leave: () => call((p: Api) => p.offline.leave, {}),
  },
  connection: {
    getState: () => call((p: Api) => p.connection.getState, {}),
    probe: () => call((p: Api) => p.connection.probe, {}),
  },
  settings: {
    get: () => call((p: Api) => p.settings.get, {}),
    setPortal: (input: Input<Api['settings']['setPortal']>) => call((p: Api) => p.settings.setPortal, input),
    chooseCaFile: () => call((p: Api) => p.settings.chooseCaFile, {}),
    getLaunchPortal: () => call((p: Api) => p.settings.getLaunchPortal, {}),
    answerLaunchPortal: (input: Input<Api['settings']['answerLaunchPortal']>) => call((p: Api) => p.settings.answerLaunchPortal, input),
    getLanguage: () => call((p: Api) => p.settings.getLanguage, {}),
    setLanguage: (input: Input<Api['settings']['setLanguage']>) => call((p: Api) => p.settings.setLanguage, input),
    setPrivacyMode: (input: Input<Api['settings']['setPrivacyMode']>) => call((p: Api) => p.settings.setPrivacyMode, input),
    setOfflineCopyDays: (input: Input<Api['settings']['setOfflineCopyDays']>) => call((p: Api) => p.settings.setOfflineCopyDays, input),
  },
  // The import runs in main; its answers say nothing about whether the portal is reachable.
  imports: {
    getState: () => call((p: Api) => p.imports.getState, {}),
    pickFile: () => call((p: Api) => p.imports.pickFile, {}),
    uploadChunk: (input: Input<Api['imports']['uploadChunk']>) => call((p: Api) => p.imports.uploadChunk, input),
    check: () => call((p: Api) => p.imports.check, {}),
    getReport: () => call((p: Api) => p.imports.getReport, {}),
    apply: () => call((p: Api) => p.imports.apply, {}),
    cancel: () => call((p: Api) => p.imports.cancel, {}),
    continueApply: () => call((p: Api) => p.imports.continueApply, {}),
    resultFile: () => call((p: Api) => p.imports.resultFile, {}),
    reset: () => call((p: Api) => p.imports.reset, {}),
  },
  events: {
    onAuthStateChanged: (listener: Parameters<Api['events']['onAuthStateChanged']>[0]) => api().events.onAuthStateChanged(listener),
    onConnectionChanged: (listener: Parameters<Api['events']['onConnectionChanged']>[0]) => api().events.onConnectionChanged(listener),
    onNavigationRequested: (listener: Parameters<Api['events']['onNavigationRequested']>[0]) => api().events.onNavigationRequested(listener),
    onDraftsChanged: (listener: Parameters<Api['events']['onDraftsChanged']>[0]) => api().events.onDraftsChanged(listener),
    onDraftsProgress: (listener: Parameters<Api['events']['onDraftsProgress']>[0]) => api().events.onDraftsProgress(listener),
    onOfflineChanged: (listener: Parameters<Api['events']['onOfflineChanged']>[0]) => api().events.onOfflineChanged(listener),
    onImportChanged: (listener: Parameters<Api['events']['onImportChanged']>[0]) => api().events.onImportChanged(listener),
    onScreenLocked: (listener: Parameters<Api['events']['onScreenLocked']>[0]) => api().events.onScreenLocked(listener),
  },
  /** Browser mode only: the WebSocket bridge itself (null under Electron, where IPC cannot drop). */
  bridge: {
    status: (): BridgeStatus | null => bridgeStatus(),
    onStatusChanged: (listener: (status: BridgeStatus) => void): (() => void) => onBridgeStatusChanged(listener),
  },
} as const;

export type PortalService = typeof portal;
