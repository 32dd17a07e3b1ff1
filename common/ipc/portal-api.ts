import type { IpcResult } from './result';
import type { ChannelInput, ChannelOutput, EventPayload, IpcChannel, IpcEvent } from './channels';

/**
 * The shape of `window.portal`: one function per channel, grouped by domain, and `onX`
 * subscriptions that return their unsubscribe function. The preload (Electron) and the
 * WebSocket bridge (browser mode) both build it from these tables.
 */
export const PORTAL_METHODS = {
  auth: {
    getState: 'auth:get-state',
    startLogin: 'auth:start-login',
    sendCode: 'auth:send-code',
    verifyCode: 'auth:verify-code',
    startStepUp: 'auth:start-step-up',
    sendStepUpCode: 'auth:send-step-up-code',
    verifyStepUp: 'auth:verify-step-up',
    signOut: 'auth:sign-out',
  },
  employees: {
    list: 'employees:list',
    get: 'employees:get',
    update: 'employees:update',
    unlockSignIn: 'employees:unlock-sign-in',
    listOffline: 'employees:list-offline',
    changes: 'employees:changes',
    history: 'employees:history',
  },
  verification: { start: 'verification:start', resend: 'verification:resend', confirm: 'verification:confirm' },
  company: { getSettings: 'company:get-settings' },
  drafts: { getState: 'drafts:get-state', save: 'drafts:save', discard: 'drafts:discard', resolve: 'drafts:resolve', syncNow: 'drafts:sync-now', sendReviewed: 'drafts:send-reviewed' },
  offline: { getState: 'offline:get-state', unlock: 'offline:unlock', leave: 'offline:leave' },
  connection: { getState: 'connection:get-state', probe: 'connection:probe' },
  settings: {
    get: 'settings:get',
    setPortal: 'settings:set-portal',
    getLaunchPortal: 'settings:get-launch-portal',
    answerLaunchPortal: 'settings:answer-launch-portal',
    chooseCaFile: 'settings:choose-ca-file',
    getLanguage: 'settings:get-language',
    setLanguage: 'settings:set-language',
    setPrivacyMode: 'settings:set-privacy-mode',
    setOfflineCopyDays: 'settings:set-offline-copy-days',
  },
  imports: {
    getState: 'import:get-state',
    pickFile: 'import:pick-file',
    uploadChunk: 'import:upload-chunk',
    check: 'import:check',
    getReport: 'import:get-report',
    apply: 'import:apply',
    cancel: 'import:cancel',
    continueApply: 'import:continue-apply',
    resultFile: 'import:result-file',
    reset: 'import:reset',
  },
} as const satisfies Record<string, Record<string, IpcChannel>>;

export const PORTAL_EVENTS = {
  onAuthStateChanged: 'auth:state-changed',
  onConnectionChanged: 'connection:changed',
  onNavigationRequested: 'navigation:requested',
  onDraftsChanged: 'drafts:changed',
  onDraftsProgress: 'drafts:progress',
  onOfflineChanged: 'offline:changed',
  onImportChanged: 'import:changed',
  onScreenLocked: 'privacy:screen-locked',
} as const satisfies Record<string, IpcEvent>;

/** An event the page subscribes to; checked without the channel schemas (the renderer's first bundle has no zod). */
export function isPortalEvent(name: unknown): name is IpcEvent {
  return typeof name === 'string' && (Object.values(PORTAL_EVENTS) as string[]).includes(name);
}

type Methods = typeof PORTAL_METHODS;
type Events = typeof PORTAL_EVENTS;

export type PortalApi = {
  [Domain in keyof Methods]: {
    [Name in keyof Methods[Domain]]: Methods[Domain][Name] extends IpcChannel
      ? (input: ChannelInput<Methods[Domain][Name]>) => Promise<IpcResult<ChannelOutput<Methods[Domain][Name]>>>
      : never;
  };
} & {
  events: { [Name in keyof Events]: (listener: (payload: EventPayload<Events[Name]>) => void) => () => void };
};

/** How a transport carries one call and one subscription; `buildPortalApi` does the rest. */
export interface PortalTransport {
  invoke(channel: IpcChannel, input: unknown): Promise<IpcResult<unknown>>;
  subscribe(event: IpcEvent, listener: (payload: unknown) => void): () => void;
}

/** Builds the `window.portal` object over a transport (Electron IPC or the browser-mode WebSocket). */
export function buildPortalApi(transport: PortalTransport): PortalApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const [domain, methods] of Object.entries(PORTAL_METHODS)) {
    const group: Record<string, unknown> = {};
    for (const [name, channel] of Object.entries(methods)) {
      group[name] = (input: unknown) => transport.invoke(channel, input ?? {});
    }
    api[domain] = Object.freeze(group);
  }
  const events: Record<string, unknown> = {};
  for (const [name, event] of Object.entries(PORTAL_EVENTS)) {
    events[name] = (listener: (payload: unknown) => void) => transport.subscribe(event, listener);
  }
  api.events = Object.freeze(events);
  return Object.freeze(api) as unknown as PortalApi;
}
