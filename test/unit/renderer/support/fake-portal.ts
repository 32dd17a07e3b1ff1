import { vi } from 'vitest';
import type { Employee, PortalUser } from '../../../../common/api';
import type { AppliedChange, Draft, DraftsProgress, DraftsState, OfflineState, SyncStatus } from '../../../../common/drafts';
import { encodeEmployeeRows, ok, type AuthState, type ConnectionState, type ImportState, type NavigationRequest, type PortalApi, type Settings } from '../../../../common/ipc';

export const ADMIN: PortalUser = Object.freeze({
  id: 'acme-0001',
  email: 'admin@acme.test',
  firstName: 'Alex',
  lastName: 'Morgan',
  role: 'admin',
  company: { id: 'acme', name: 'Acme IT Services', country: 'US' },
});

export const TECH: PortalUser = Object.freeze({ ...ADMIN, id: 'acme-0002', email: 'tech@acme.test', firstName: 'Sam', lastName: 'Rivera', role: 'tech' });

export const SIGNED_OUT: AuthState = { signedIn: false, user: null, expiresAt: null, pending: null, portalUrl: 'https://127.0.0.1:8443' };

export const SETTINGS: Settings = {
  portalUrl: 'https://127.0.0.1:8443',
  caFile: null,
  certificatePin: null,
  rememberMe: false,
  isDemoPortal: true,
  privacyMode: false,
  offlineCopyDays: 14,
};

export function signedIn(user: PortalUser = ADMIN): AuthState {
  return { signedIn: true, user, expiresAt: '2030-01-01T12:00:00.000Z', pending: null, portalUrl: SETTINGS.portalUrl };
}

let sequence = 0;
export function makeEmployee(patch: Partial<Employee> = {}): Employee {
  sequence++;
  return Object.freeze({
    id: `e-${sequence}`,
    firstName: 'Ada',
    lastName: `Lovelace${sequence}`,
    email: `ada${sequence}@acme.test`,
    role: 'business',
    cellPhone: '+12125550100',
    twoFactor: { status: 'active', method: 'sms' },
    lastLoginAt: '2025-01-02T03:04:05.000Z',
    updatedAt: '2025-01-02T03:04:05.000Z',
    version: 1,
    ...patch,
  } satisfies Employee);
}

export const IDLE_SYNC: SyncStatus = { state: 'idle', reason: null, done: 0, total: 0, lastSyncAt: null, nextAttemptAt: null };
export const NO_DRAFTS: DraftsState = { drafts: [], history: [], sync: IDLE_SYNC, problem: null };
export const NO_OFFLINE: OfflineState = { accounts: [], user: null, asOf: null };
export const NO_IMPORT: ImportState = { phase: 'empty', file: null, reading: null, activity: null, progress: null, counts: null, outcome: null, problem: null };

let draftSequence = 0;
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A draft of `employee`'s cell phone number (pending unless patched). */
export function makeDraft(employee: Employee, patch: Partial<Draft> = {}): Draft {
  draftSequence++;
  return Object.freeze({
    id: uuid(draftSequence),
    employeeId: employee.id,
    employee: { firstName: employee.firstName, lastName: employee.lastName, email: employee.email },
    cellPhone: '+12125550177',
    baseVersion: employee.version,
    basePhone: employee.cellPhone,
    idempotencyKey: uuid(100_000 + draftSequence),
    state: 'pending',
    createdAt: `2030-01-01T10:${String(draftSequence % 60).padStart(2, '0')}:00.000Z`,
    updatedAt: `2030-01-01T10:${String(draftSequence % 60).padStart(2, '0')}:00.000Z`,
    attempts: 0,
    nextAttemptAt: null,
    error: null,
    portal: null,
    ...patch,
  } satisfies Draft);
}

/** What main records when the portal applied `draft`. */
export function appliedFrom(draft: Draft, patch: Partial<AppliedChange> = {}): AppliedChange {
  return {
    draftId: draft.id,
    employeeId: draft.employeeId,
    employee: draft.employee,
    cellPhone: draft.cellPhone,
    basePhone: draft.basePhone,
    version: draft.baseVersion + 1,
    appliedAt: '2030-01-01T11:00:00.000Z',
    ...patch,
  };
}

/** A PortalApi whose every method is a vi.fn with a sensible default answer. */
export function createFakePortal() {
  const authListeners = new Set<(state: AuthState) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  const navigationListeners = new Set<(request: NavigationRequest) => void>();
  const draftsListeners = new Set<(state: DraftsState) => void>();
  const draftsProgressListeners = new Set<(progress: DraftsProgress) => void>();
  const offlineListeners = new Set<(state: OfflineState) => void>();
  const importListeners = new Set<(state: ImportState) => void>();
  const screenLockedListeners = new Set<(event: { reason: 'lock-screen' | 'suspend' }) => void>();
  const api = {
    auth: {
      getState: vi.fn<PortalApi['auth']['getState']>(async () => ok(SIGNED_OUT)),
      startLogin: vi.fn<PortalApi['auth']['startLogin']>(async () =>
        ok({ step: 'second_factor_required', methods: ['sms', 'voice'], destination: '•••• 0142', expiresAt: '2030-01-01T00:10:00.000Z' }),
      ),
      sendCode: vi.fn<PortalApi['auth']['sendCode']>(async () => ok({ destination: '•••• 0142', resendAfterSeconds: 30, sendsLeft: 4 })),
      verifyCode: vi.fn<PortalApi['auth']['verifyCode']>(async () => ok({ step: 'signed_in', user: ADMIN })),
      signOut: vi.fn<PortalApi['auth']['signOut']>(async () => ok({ revokedOnPortal: true, notCleared: [] })),
      startStepUp: vi.fn<PortalApi['auth']['startStepUp']>(async () => ok({ methods: ['sms', 'voice'], destination: '•••• 0142', expiresAt: '2030-01-01T00:10:00.000Z' })),
      sendStepUpCode: vi.fn<PortalApi['auth']['sendStepUpCode']>(async () => ok({ destination: '•••• 0142', resendAfterSeconds: 30, sendsLeft: 4 })),
      verifyStepUp: vi.fn<PortalApi['auth']['verifyStepUp']>(async () => ok({ step: 'verified' })),
    },
    employees: {
      list: vi.fn<PortalApi['employees']['list']>(async () => ok({ items: [], nextCursor: null, total: 0 })),
      get: vi.fn<PortalApi['employees']['get']>(async () => ok(makeEmployee())),
      update: vi.fn<PortalApi['employees']['update']>(async () => ok(makeEmployee())),
      unlockSignIn: vi.fn<PortalApi['employees']['unlockSignIn']>(async () => ok(makeEmployee())),
      listOffline: vi.fn<PortalApi['employees']['listOffline']>(async () => ok({ rows: encodeEmployeeRows([]), total: 0, asOf: null })),
      history: vi.fn<PortalApi['employees']['history']>(async () => ok({ items: [] })),
      changes: vi.fn<PortalApi['employees']['changes']>(async () => ok({ complete: true, items: [], deleted: [], asOf: '2026-01-15T09:00:00.000Z' })),
    },
    verification: {
      start: vi.fn<PortalApi['verification']['start']>(async (input) =>
        ok({ id: 'V'.repeat(43), cellPhone: input.cellPhone, method: 'sms', expiresAt: '2030-01-01T00:10:00.000Z', resendAfter: 30, sendsLeft: 4 }),
      ),
      resend: vi.fn<PortalApi['verification']['resend']>(async () =>
        ok({ id: 'V'.repeat(43), cellPhone: '+12125550100', method: 'sms', expiresAt: '2030-01-01T00:10:00.000Z', resendAfter: 30, sendsLeft: 3 }),
      ),
      confirm: vi.fn<PortalApi['verification']['confirm']>(async () => ok(makeEmployee())),
    },
    company: {
      getSettings: vi.fn<PortalApi['company']['getSettings']>(async () => ok({ requireVerifiedPhone: false })),
    },
    drafts: {
      getState: vi.fn<PortalApi['drafts']['getState']>(async () => ok(NO_DRAFTS)),
      save: vi.fn<PortalApi['drafts']['save']>(async (input) => ok(makeDraft(input.employee, { cellPhone: input.cellPhone }))),
      discard: vi.fn<PortalApi['drafts']['discard']>(async () => ok({ discarded: true })),
      resolve: vi.fn<PortalApi['drafts']['resolve']>(async () => ok({ draft: null })),
      syncNow: vi.fn<PortalApi['drafts']['syncNow']>(async () => ok(IDLE_SYNC)),
      sendReviewed: vi.fn<PortalApi['drafts']['sendReviewed']>(async () => ok(NO_DRAFTS)),
    },
    offline: {
      getState: vi.fn<PortalApi['offline']['getState']>(async () => ok(NO_OFFLINE)),
      unlock: vi.fn<PortalApi['offline']['unlock']>(async () => ok({ step: 'invalid_password', attemptsLeft: 4 })),
      leave: vi.fn<PortalApi['offline']['leave']>(async () => ok(NO_OFFLINE)),
    },
    connection: {
      getState: vi.fn<PortalApi['connection']['getState']>(async () => ok({ state: 'unknown', checkedAt: null })),
      probe: vi.fn<PortalApi['connection']['probe']>(async () => ok({ state: 'online', checkedAt: '2030-01-01T00:00:00.000Z' })),
    },
    settings: {
      get: vi.fn<PortalApi['settings']['get']>(async () => ok(SETTINGS)),
      setPortal: vi.fn<PortalApi['settings']['setPortal']>(async (input) =>
        ok({ ...SETTINGS, portalUrl: input.portalUrl, caFile: input.caCertificate ? '/profile/trust/portal-ca-0123456789abcdef0123456789abcdef.pem' : null }),
      ),
      chooseCaFile: vi.fn<PortalApi['settings']['chooseCaFile']>(async () => ok({ isSupported: true, file: { name: 'portal.pem', pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' } })),
      getLaunchPortal: vi.fn<PortalApi['settings']['getLaunchPortal']>(async () => ok(null)),
      answerLaunchPortal: vi.fn<PortalApi['settings']['answerLaunchPortal']>(async () => ok(SETTINGS)),
      getLanguage: vi.fn<PortalApi['settings']['getLanguage']>(async () => ok({ setting: 'auto' as const, systemLanguages: [] })),
      setLanguage: vi.fn<PortalApi['settings']['setLanguage']>(async (input) => ok({ setting: input.setting, systemLanguages: [] })),
      setPrivacyMode: vi.fn<PortalApi['settings']['setPrivacyMode']>(async (input) => ok({ ...SETTINGS, privacyMode: input.isOn })),
      setOfflineCopyDays: vi.fn<PortalApi['settings']['setOfflineCopyDays']>(async (input) => ok({ ...SETTINGS, offlineCopyDays: input.days })),
    },
    imports: {
      getState: vi.fn<PortalApi['imports']['getState']>(async () => ok(NO_IMPORT)),
      pickFile: vi.fn<PortalApi['imports']['pickFile']>(async () => ok({ isAvailable: false, state: NO_IMPORT })),
      uploadChunk: vi.fn<PortalApi['imports']['uploadChunk']>(async () => ok(NO_IMPORT)),
      check: vi.fn<PortalApi['imports']['check']>(async () => ok(NO_IMPORT)),
      getReport: vi.fn<PortalApi['imports']['getReport']>(async () => ok({ changes: [], errors: [], totalChanges: 0, totalErrors: 0 })),
      apply: vi.fn<PortalApi['imports']['apply']>(async () => ok(NO_IMPORT)),
      cancel: vi.fn<PortalApi['imports']['cancel']>(async () => ok(NO_IMPORT)),
      continueApply: vi.fn<PortalApi['imports']['continueApply']>(async () => ok(NO_IMPORT)),
      resultFile: vi.fn<PortalApi['imports']['resultFile']>(async () => ok({ fileName: 'result.csv', content: '' })),
      reset: vi.fn<PortalApi['imports']['reset']>(async () => ok(NO_IMPORT)),
    },
    events: {
      onImportChanged: (listener: (state: ImportState) => void) => {
        importListeners.add(listener);
        return () => {
          importListeners.delete(listener);
        };
      },
      onAuthStateChanged: (listener: (state: AuthState) => void) => {
        authListeners.add(listener);
        return () => {
          authListeners.delete(listener);
        };
      },
      onConnectionChanged: (listener: (state: ConnectionState) => void) => {
        connectionListeners.add(listener);
        return () => {
          connectionListeners.delete(listener);
        };
      },
      onNavigationRequested: (listener: (request: NavigationRequest) => void) => {
        navigationListeners.add(listener);
        return () => {
          navigationListeners.delete(listener);
        };
      },
      onDraftsChanged: (listener: (state: DraftsState) => void) => {
        draftsListeners.add(listener);
        return () => {
          draftsListeners.delete(listener);
        };
      },
      onDraftsProgress: (listener: (progress: DraftsProgress) => void) => {
        draftsProgressListeners.add(listener);
        return () => {
          draftsProgressListeners.delete(listener);
        };
      },
      onOfflineChanged: (listener: (state: OfflineState) => void) => {
        offlineListeners.add(listener);
        return () => {
          offlineListeners.delete(listener);
        };
      },
      onScreenLocked: (listener: (event: { reason: 'lock-screen' | 'suspend' }) => void) => {
        screenLockedListeners.add(listener);
        return () => {
          screenLockedListeners.delete(listener);
        };
      },
    },
  } satisfies PortalApi;
  return {
    api,
    emitAuthState: (state: AuthState) => authListeners.forEach((listener) => listener(state)),
    emitConnection: (state: ConnectionState) => connectionListeners.forEach((listener) => listener(state)),
    emitNavigation: (request: NavigationRequest) => navigationListeners.forEach((listener) => listener(request)),
    emitDrafts: (state: DraftsState) => draftsListeners.forEach((listener) => listener(state)),
    emitDraftsProgress: (progress: DraftsProgress) => draftsProgressListeners.forEach((listener) => listener(progress)),
    emitOffline: (state: OfflineState) => offlineListeners.forEach((listener) => listener(state)),
    emitImport: (state: ImportState) => importListeners.forEach((listener) => listener(state)),
    emitScreenLocked: (reason: 'lock-screen' | 'suspend' = 'lock-screen') => screenLockedListeners.forEach((listener) => listener({ reason })),
    /** How many listen to `drafts:changed` (a store that stopped must not). */
    draftsListenerCount: () => draftsListeners.size,
    /** How many listen to `drafts:progress`. */
    draftsProgressListenerCount: () => draftsProgressListeners.size,
  };
}

export type FakePortal = ReturnType<typeof createFakePortal>;
