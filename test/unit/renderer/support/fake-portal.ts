import { vi } from 'vitest';
import type { Employee, PortalUser } from '../../../../common/api';
import { ok, type AuthState, type ConnectionState, type NavigationRequest, type PortalApi, type Settings } from '../../../../common/ipc';

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

/** A PortalApi whose every method is a vi.fn with a sensible default answer. */
export function createFakePortal() {
  const authListeners = new Set<(state: AuthState) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  const navigationListeners = new Set<(request: NavigationRequest) => void>();
  const api = {
    auth: {
      getState: vi.fn<PortalApi['auth']['getState']>(async () => ok(SIGNED_OUT)),
      startLogin: vi.fn<PortalApi['auth']['startLogin']>(async () =>
        ok({ step: 'second_factor_required', methods: ['sms', 'voice'], destination: '•••• 0142', expiresAt: '2030-01-01T00:10:00.000Z' }),
      ),
      sendCode: vi.fn<PortalApi['auth']['sendCode']>(async () => ok({ destination: '•••• 0142', resendAfterSeconds: 30, sendsLeft: 4 })),
      verifyCode: vi.fn<PortalApi['auth']['verifyCode']>(async () => ok({ step: 'signed_in', user: ADMIN })),
      signOut: vi.fn<PortalApi['auth']['signOut']>(async () => ok({ revokedOnPortal: true })),
    },
    employees: {
      list: vi.fn<PortalApi['employees']['list']>(async () => ok({ items: [], nextCursor: null, total: 0 })),
      get: vi.fn<PortalApi['employees']['get']>(async () => ok(makeEmployee())),
      update: vi.fn<PortalApi['employees']['update']>(async () => ok(makeEmployee())),
    },
    connection: {
      getState: vi.fn<PortalApi['connection']['getState']>(async () => ok({ state: 'unknown', checkedAt: null })),
    },
    settings: {
      get: vi.fn<PortalApi['settings']['get']>(async () => ok(SETTINGS)),
      setPortal: vi.fn<PortalApi['settings']['setPortal']>(async (input) => ok({ ...SETTINGS, portalUrl: input.portalUrl, caFile: input.caFile ?? null })),
    },
    events: {
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
    },
  } satisfies PortalApi;
  return {
    api,
    emitAuthState: (state: AuthState) => authListeners.forEach((listener) => listener(state)),
    emitConnection: (state: ConnectionState) => connectionListeners.forEach((listener) => listener(state)),
    emitNavigation: (request: NavigationRequest) => navigationListeners.forEach((listener) => listener(request)),
  };
}

export type FakePortal = ReturnType<typeof createFakePortal>;
