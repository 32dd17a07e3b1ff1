import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { PortalUser } from '../../../../common/api';
import { IpcFailure, type AuthState, type IpcEvent } from '../../../../common/ipc';
import { silentLogger } from '../../../../electron/main/log';
import { createAuthService, KEYCHAIN_NOT_CLEARED, type AuthService } from '../../../../electron/main/services/auth';
import { createCredentialStore, keychainAccount, KEYCHAIN_SERVICE, type CredentialStore } from '../../../../electron/main/infra/credential-store';
import { createEmitter } from '../../../../electron/main/infra/events';
import type { PortalClient, PortalRequest, TokenSource } from '../../../../electron/main/infra/portal-client';
import { rememberedSessionFile } from '../../../../electron/main/services/remembered-session';

const ORIGIN = 'https://portal.test';
const PASSWORD = 'correct horse battery staple';
const USER: PortalUser = {
  id: 'acme-0001',
  email: 'admin@acme.test',
  firstName: 'Alex',
  lastName: 'Morgan',
  role: 'admin',
  company: { id: 'acme', name: 'Acme IT Services', country: 'US' },
};
const MINUTE = 60_000;

interface Call {
  path: string;
  body: unknown;
  authorization: string | null;
}

/**
 * A fake portal behind the PortalClient interface: routes by path, issues numbered tokens, and
 * behaves like the real client for authenticated calls (token from the source, one refresh on 401).
 */
class FakePortal {
  calls: Call[] = [];
  isOffline = false;
  accessTokens = new Set<string>();
  refreshTokens = new Set<string>();
  revoked: string[] = [];
  serial = 0;
  verifyAnswer: 'ok' | 'wrong' | 'expired' = 'ok';
  loginAnswer: 'ok' | 'wrong' | 'limited' | 'locked' = 'ok';
  tokens: TokenSource | null = null;

  issue() {
    this.serial++;
    const accessToken = `access-${this.serial}`;
    const refreshToken = `refresh-${this.serial}`;
    this.accessTokens.add(accessToken);
    this.refreshTokens.add(refreshToken);
    return { accessToken, refreshToken, expiresIn: 900, user: USER };
  }

  handle(path: string, body: Record<string, unknown>, authorization: string | null): unknown {
    if (this.isOffline) throw new IpcFailure('offline', 'offline');
    if (path === '/auth/login') {
      if (this.loginAnswer === 'wrong') throw new IpcFailure('invalid_credentials', 'x');
      if (this.loginAnswer === 'limited') throw new IpcFailure('rate_limited', 'x', { retryAfterSeconds: 42 });
      if (this.loginAnswer === 'locked') throw new IpcFailure('locked', 'x', { retryAfterSeconds: 60 });
      return { challengeId: 'challenge-secret-id', methods: ['sms', 'voice'], destination: '+1 ••• ••• 0142', expiresAt: '2026-01-15T09:10:00.000Z' };
    }
    if (path === '/auth/challenges/challenge-secret-id/send') {
      if (this.calls.filter((call) => call.path === path).length > 1) throw new IpcFailure('rate_limited', 'x', { retryAfterSeconds: 30 });
      return { sent: true, method: body.method, destination: '+1 ••• ••• 0142', resendAfter: 30, sendsLeft: 4 };
    }
    if (path === '/auth/challenges/challenge-secret-id/verify') {
      if (this.verifyAnswer === 'wrong') throw new IpcFailure('invalid_code', 'x', { attemptsLeft: 3 });
      if (this.verifyAnswer === 'expired') throw new IpcFailure('challenge_expired', 'x');
      return this.issue();
    }
    if (path === '/auth/refresh') {
      const token = String(body.refreshToken);
      if (!this.refreshTokens.delete(token)) throw new IpcFailure('unauthenticated', 'x');
      return this.issue();
    }
    if (path === '/auth/logout') {
      this.revoked.push(authorization ?? String(body.refreshToken));
      return undefined;
    }
    if (path === '/employees') {
      if (!authorization || !this.accessTokens.has(authorization)) throw new IpcFailure('unauthenticated', 'x');
      return { items: [], nextCursor: null, total: 0 };
    }
    throw new IpcFailure('not_found', 'x');
  }

  client(): PortalClient {
    const send = async <T>(request: PortalRequest<T>, authorization: string | null): Promise<T> => {
      this.calls.push({ path: request.path, body: structuredClone(request.body), authorization });
      return request.schema.parse(this.handle(request.path, (request.body ?? {}) as Record<string, unknown>, authorization));
    };
    return {
      url: ORIGIN,
      origin: ORIGIN,
      request: async <T>(request: PortalRequest<T>): Promise<T> => {
        const isAuthenticated = request.authenticated ?? true;
        if (!isAuthenticated) return send(request, request.bearer ?? null);
        const tokens = this.tokens!;
        const token = tokens.accessToken();
        try {
          const value = await send(request, token);
          tokens.onActivity();
          return value;
        } catch (error) {
          if (!(error instanceof IpcFailure) || error.code !== 'unauthenticated') throw error;
          if (!(await tokens.refreshAfterRejection(token))) {
            tokens.onUnauthenticated();
            throw error;
          }
          const value = await send(request, tokens.accessToken());
          tokens.onActivity();
          return value;
        }
      },
      dispose() {},
    };
  }
}

let directory: string;
let now: number;
let portal: FakePortal;
let credentials: CredentialStore;
let events: AuthState[];
const services: AuthService[] = [];

function makeAuth(): AuthService {
  const emitter = createEmitter();
  emitter.onEvent((event: IpcEvent, payload) => {
    if (event === 'auth:state-changed') events.push(payload as AuthState);
  });
  const client = portal.client();
  const auth = createAuthService({
    portal: () => client,
    portalUrl: () => ORIGIN,
    credentials,
    remembered: rememberedSessionFile(directory, silentLogger),
    emitter,
    log: silentLogger,
    clock: () => now,
    expiryCheckIntervalMs: 0,
  });
  portal.tokens = auth.tokens;
  services.push(auth);
  return auth;
}

async function signIn(auth: AuthService, rememberMe = false): Promise<void> {
  expect((await auth.startLogin({ email: USER.email, password: PASSWORD, rememberMe })).step).toBe('second_factor_required');
  expect((await auth.verifyCode({ code: '123456' })).step).toBe('signed_in');
}
const listEmployees = () => portal.client().request({ method: 'GET', path: '/employees', schema: z.unknown() });
/** Settles background work (revocation after an expiry). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'portal-admin-auth-'));
  now = Date.parse('2026-01-15T09:00:00Z');
  portal = new FakePortal();
  credentials = createCredentialStore({ kind: 'memory' });
  events = [];
});
afterEach(() => {
  for (const auth of services.splice(0)) auth.dispose();
  rmSync(directory, { recursive: true, force: true });
});

describe('auth: the sign-in steps', () => {
  it('password → second factor → signed in; the challenge id and the password stay in main', async () => {
    const auth = makeAuth();
    const input = { email: USER.email, password: PASSWORD, rememberMe: false };
    const step = await auth.startLogin(input);
    expect(step).toEqual({ step: 'second_factor_required', methods: ['sms', 'voice'], destination: '+1 ••• ••• 0142', expiresAt: '2026-01-15T09:10:00.000Z' });
    expect(JSON.stringify(step)).not.toContain('challenge-secret-id');
    expect(input.password).toBe(''); // dropped once the portal answered
    const state = await auth.getState();
    expect(state.pending).toEqual({ methods: ['sms', 'voice'], destination: '+1 ••• ••• 0142', expiresAt: '2026-01-15T09:10:00.000Z' });
    expect(JSON.stringify(state)).not.toContain('challenge-secret-id');

    await expect(auth.sendCode({ method: 'sms' })).resolves.toEqual({ destination: '+1 ••• ••• 0142', resendAfterSeconds: 30, sendsLeft: 4 });
    const signedIn = await auth.verifyCode({ code: '123456' });
    expect(signedIn).toEqual({ step: 'signed_in', user: USER });
    // The password went to /auth/login only; the code step carried only the code.
    const withPassword = portal.calls.filter((call) => JSON.stringify(call.body ?? null).includes(PASSWORD));
    expect(withPassword.map((call) => call.path)).toEqual(['/auth/login']);
    expect(portal.calls.find((call) => call.path.endsWith('/verify'))?.body).toEqual({ code: '123456' });
    const after = await auth.getState();
    expect(after).toMatchObject({ signedIn: true, user: USER, pending: null, portalUrl: ORIGIN });
    expect(after.expiresAt).toBe(new Date(now + 30 * MINUTE).toISOString());
    expect(JSON.stringify(after)).not.toMatch(/access-|refresh-/);
    expect(events.at(-1)?.signedIn).toBe(true);
  });

  it.each([
    ['wrong', { step: 'invalid_credentials' }],
    ['limited', { step: 'rate_limited', retryAfterSeconds: 42 }],
    ['locked', { step: 'locked', retryAfterSeconds: 60 }],
  ] as const)('a login answered %s becomes a step, not an error', async (answer, expected) => {
    const auth = makeAuth();
    portal.loginAnswer = answer;
    const input = { email: USER.email, password: PASSWORD, rememberMe: false };
    await expect(auth.startLogin(input)).resolves.toEqual(expected);
    expect(input.password).toBe('');
    expect((await auth.getState()).pending).toBeNull();
  });

  it('a wrong code leaves attempts; an expired challenge ends the pending sign-in', async () => {
    const auth = makeAuth();
    await auth.startLogin({ email: USER.email, password: PASSWORD, rememberMe: false });
    portal.verifyAnswer = 'wrong';
    await expect(auth.verifyCode({ code: '000000' })).resolves.toEqual({ step: 'invalid_code', attemptsLeft: 3 });
    expect((await auth.getState()).pending).not.toBeNull();
    portal.verifyAnswer = 'expired';
    await expect(auth.verifyCode({ code: '000000' })).resolves.toEqual({ step: 'challenge_expired' });
    expect((await auth.getState()).pending).toBeNull();
    await expect(auth.verifyCode({ code: '000000' })).resolves.toEqual({ step: 'challenge_expired' });
  });

  it('a resend inside the cooldown is rate_limited with the wait', async () => {
    const auth = makeAuth();
    await expect(auth.sendCode({ method: 'sms' })).rejects.toMatchObject({ code: 'challenge_expired' });
    await auth.startLogin({ email: USER.email, password: PASSWORD, rememberMe: false });
    await auth.sendCode({ method: 'sms' });
    await expect(auth.sendCode({ method: 'voice' })).rejects.toMatchObject({ code: 'rate_limited', extra: { retryAfterSeconds: 30 } });
  });
});

describe('auth: session limits', () => {
  it('ends the session after 30 minutes without activity', async () => {
    const auth = makeAuth();
    await signIn(auth);
    now += 29 * MINUTE;
    await listEmployees(); // activity
    now += 29 * MINUTE;
    await listEmployees();
    expect((await auth.getState()).signedIn).toBe(true);
    now += 30 * MINUTE;
    await expect(listEmployees()).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(() => auth.currentUser()).toThrow(IpcFailure);
    expect((await auth.getState()).signedIn).toBe(false);
    expect(events.at(-1)?.signedIn).toBe(false);
    await settle();
    expect(portal.revoked).toEqual(['access-1']); // revoked on the portal too
  });

  it('ends the session 12 hours after sign-in however active it is', async () => {
    const auth = makeAuth();
    await signIn(auth);
    for (let elapsed = 0; elapsed < 12 * 60 - 20; elapsed += 20) {
      now += 20 * MINUTE;
      await listEmployees();
    }
    expect((await auth.getState()).signedIn).toBe(true);
    now += 20 * MINUTE;
    await expect(listEmployees()).rejects.toMatchObject({ code: 'unauthenticated', message: expect.stringContaining('12 hours') as unknown });
  });

  it('getState alone notices an idle session', async () => {
    const auth = makeAuth();
    await signIn(auth);
    now += 31 * MINUTE;
    expect((await auth.getState()).signedIn).toBe(false);
  });
});

describe('auth: refresh', () => {
  it('refreshes once for many calls refused together (single flight), then carries on', async () => {
    const auth = makeAuth();
    await signIn(auth);
    portal.accessTokens.clear(); // every access token lapses on the portal
    await Promise.all(Array.from({ length: 5 }, () => listEmployees()));
    expect(portal.calls.filter((call) => call.path === '/auth/refresh')).toHaveLength(1);
    expect((await auth.getState()).signedIn).toBe(true);
  });

  it('a refused refresh ends the session', async () => {
    const auth = makeAuth();
    await signIn(auth);
    portal.accessTokens.clear();
    portal.refreshTokens.clear();
    await expect(listEmployees()).rejects.toMatchObject({ code: 'unauthenticated' });
    expect((await auth.getState()).signedIn).toBe(false);
  });

  it('an unreachable portal during refresh fails the call but keeps the session', async () => {
    const auth = makeAuth();
    await signIn(auth);
    const token = auth.tokens.accessToken();
    portal.isOffline = true;
    await expect(auth.tokens.refreshAfterRejection(token)).rejects.toMatchObject({ code: 'offline' });
    expect((await auth.getState()).signedIn).toBe(true);
  });
});

describe('auth: remember me and sign-out', () => {
  const account = keychainAccount(ORIGIN, USER.email);

  it('off by default: nothing is written to the keychain', async () => {
    const auth = makeAuth();
    await signIn(auth, false);
    expect(await credentials.getPassword(KEYCHAIN_SERVICE, account)).toBeNull();
    expect(await makeAuth().restore()).toBe(false);
  });

  it('keeps only the refresh token, follows its rotation, and restores the session in a new instance', async () => {
    const auth = makeAuth();
    await signIn(auth, true);
    expect(await credentials.getPassword(KEYCHAIN_SERVICE, account)).toBe('refresh-1');
    portal.accessTokens.clear();
    await listEmployees(); // refresh → pair 2
    expect(await credentials.getPassword(KEYCHAIN_SERVICE, account)).toBe('refresh-2');

    const restarted = makeAuth();
    expect(await restarted.restore()).toBe(true);
    expect(await restarted.getState()).toMatchObject({ signedIn: true, user: USER });
    expect(await credentials.getPassword(KEYCHAIN_SERVICE, account)).toBe('refresh-3');
  });

  it('a restored session keeps the original 12-hour limit, and the expired remembered token is revoked on the portal', async () => {
    await signIn(makeAuth(), true);
    now += 12 * 60 * MINUTE;
    const restarted = makeAuth();
    expect(await restarted.restore()).toBe(false);
    expect(await credentials.getPassword(KEYCHAIN_SERVICE, account)).toBeNull();
    expect(portal.revoked).toEqual(['refresh-1']);
  });

  it('a sign-in without "Remember me" revokes the older remembered sign-in on the portal as it forgets it', async () => {
    await signIn(makeAuth(), true);
    expect(await credentials.getPassword(KEYCHAIN_SERVICE, account)).toBe('refresh-1');
    await signIn(makeAuth(), false);
    expect(await credentials.getPassword(KEYCHAIN_SERVICE, account)).toBeNull();
    expect(portal.revoked).toEqual(['refresh-1']);
  });

  it('sign-out revokes on the portal and removes the keychain entry', async () => {
    const auth = makeAuth();
    await signIn(auth, true);
    await expect(auth.signOut()).resolves.toEqual({ revokedOnPortal: true, notCleared: [] });
    expect(portal.revoked).toEqual(['access-1']);
    expect(await credentials.getPassword(KEYCHAIN_SERVICE, account)).toBeNull();
    expect((await auth.getState()).signedIn).toBe(false);
  });

  it('sign-out removes the keychain entry even when the portal is unreachable', async () => {
    const auth = makeAuth();
    await signIn(auth, true);
    portal.isOffline = true;
    await expect(auth.signOut()).resolves.toEqual({ revokedOnPortal: false, notCleared: [] });
    expect(await credentials.getPassword(KEYCHAIN_SERVICE, account)).toBeNull();
    expect(await makeAuth().restore()).toBe(false);
  });

  it('a keychain that fails does not fail the sign-in, and nothing stale is left behind', async () => {
    const failing: CredentialStore = {
      kind: 'os',
      getPassword: () => Promise.reject(new IpcFailure('keychain_unavailable', 'x')),
      setPassword: () => Promise.reject(new IpcFailure('keychain_unavailable', 'x')),
      deletePassword: () => Promise.reject(new IpcFailure('keychain_unavailable', 'x')),
    };
    credentials = failing;
    const auth = makeAuth();
    await signIn(auth, true);
    expect((await auth.getState()).signedIn).toBe(true);
    // The session still ends on the portal; what could not be removed from the keychain is said.
    await expect(auth.signOut()).resolves.toEqual({ revokedOnPortal: true, notCleared: [KEYCHAIN_NOT_CLEARED] });
  });
});
