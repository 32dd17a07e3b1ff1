import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Employee } from '../../../common/api';
import { IpcFailure, type IpcResult } from '../../../common/ipc';
import { createGate, type Sender } from '../../../electron/main/ipc/gate';
import { keychainAccount, KEYCHAIN_SERVICE } from '../../../electron/main/infra/credential-store';
import { ManualClock } from '../../../server/clock';
import { pinOf } from '../../../server/tls/certificate';
import { isRefreshFamilyRevoked, portalRequest, startTestPortal, type TestPortal } from '../../support/portal';
import { makeCertificate } from '../../unit/electron/support/tls';
import { ACCOUNTS, lastSmsCode, servicesFor, signIn, totpCode, type ServicesHandle } from './support';

const MINUTE = 60_000;
const SENDER: Sender = { transport: 'websocket', origin: 'http://127.0.0.1:1', authenticated: true };

let clock: ManualClock;
let portal: TestPortal;
const handles: ServicesHandle[] = [];

beforeAll(async () => {
  // The portal's clock starts at the real time (TLS validity is checked against the real clock).
  clock = new ManualClock(new Date());
  portal = await startTestPortal({ clock });
}, 60_000);
afterAll(async () => {
  await Promise.all(handles.map((handle) => handle.close()));
  await portal.close();
});

async function open(options: Parameters<typeof servicesFor>[1] = {}): Promise<ServicesHandle> {
  const handle = await servicesFor(portal, options);
  handles.push(handle);
  return handle;
}
async function failureOf(promise: Promise<unknown>): Promise<IpcFailure> {
  const error: unknown = await promise.then(
    () => new Error('expected a failure'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(IpcFailure);
  return error as IpcFailure;
}
const isFamilyRevoked = (refreshToken: string): boolean => isRefreshFamilyRevoked(portal, refreshToken);

describe('sign-in against the reference portal over HTTPS', () => {
  it('by SMS, through the gate: password → code → signed in, and no response carries a secret', async () => {
    const { services } = await open();
    const gate = createGate({ services, isTrustedSender: () => true });
    const responses: IpcResult<unknown>[] = [];
    const invoke = async (channel: string, payload: unknown) => {
      const result = await gate.invoke(channel, payload, SENDER);
      responses.push(result);
      return result;
    };
    const account = ACCOUNTS.admin;
    const started = await invoke('auth:start-login', { email: account.email, password: account.password, rememberMe: true });
    expect(started).toMatchObject({ ok: true, value: { step: 'second_factor_required', destination: expect.stringContaining('0142') as unknown } });
    expect((started as { value: { methods: string[] } }).value.methods).toContain('sms');
    const sent = await invoke('auth:send-code', { method: 'sms' });
    expect(sent).toMatchObject({ ok: true, value: { resendAfterSeconds: 30, sendsLeft: 4 } });
    const code = lastSmsCode(portal, account.phone);
    const verified = await invoke('auth:verify-code', { code });
    expect(verified).toMatchObject({ ok: true, value: { step: 'signed_in', user: { email: account.email, role: 'admin', company: { country: 'US' } } } });
    const state = await invoke('auth:get-state', {});
    expect(state).toMatchObject({ ok: true, value: { signedIn: true, pending: null } });
    const list = await invoke('employees:list', { limit: 5 });
    expect(list).toMatchObject({ ok: true, value: { total: expect.any(Number) as unknown } });

    const refreshToken = await services.credentials.getPassword(KEYCHAIN_SERVICE, keychainAccount(new URL(portal.url).origin, account.email));
    expect(refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const text = JSON.stringify(responses);
    for (const secret of [account.password, code, refreshToken!]) expect(text).not.toContain(secret);
    await invoke('auth:sign-out', {});
  });

  it('by TOTP', async () => {
    const { services } = await open();
    const step = await services.auth.startLogin({ email: ACCOUNTS.totp.email, password: ACCOUNTS.totp.password, rememberMe: false });
    expect(step).toMatchObject({ step: 'second_factor_required' });
    expect(step.step === 'second_factor_required' && step.methods).toContain('totp');
    await expect(services.auth.verifyCode({ code: totpCode(portal), method: 'totp' })).resolves.toMatchObject({ step: 'signed_in', user: { email: ACCOUNTS.totp.email } });
  });

  it('a wrong password is invalid_credentials', async () => {
    const { services } = await open();
    await expect(services.auth.startLogin({ email: ACCOUNTS.admin.email, password: 'not-the-password', rememberMe: false })).resolves.toEqual({ step: 'invalid_credentials' });
    expect((await services.auth.getState()).pending).toBeNull();
  });

  it('a wrong code leaves attempts; the fifth kills the challenge, and then even the right code is refused', async () => {
    const { services } = await open();
    await services.auth.startLogin({ email: ACCOUNTS.tech.email, password: ACCOUNTS.tech.password, rememberMe: false });
    await services.auth.sendCode({ method: 'sms' });
    const right = lastSmsCode(portal, ACCOUNTS.tech.phone);
    const wrong = right === '000000' ? '111111' : '000000';
    await expect(services.auth.verifyCode({ code: wrong })).resolves.toEqual({ step: 'invalid_code', attemptsLeft: 4 });
    for (const left of [3, 2, 1, 0]) await expect(services.auth.verifyCode({ code: wrong })).resolves.toEqual({ step: 'invalid_code', attemptsLeft: left });
    await expect(services.auth.verifyCode({ code: right })).resolves.toEqual({ step: 'challenge_expired' });
    expect((await services.auth.getState()).pending).toBeNull();
  });

  it('a resend inside the 30-second cooldown is rate_limited with the wait; after it, a new code goes out', async () => {
    const { services } = await open();
    await services.auth.startLogin({ email: ACCOUNTS.tech.email, password: ACCOUNTS.tech.password, rememberMe: false });
    await services.auth.sendCode({ method: 'sms' });
    const failure = await failureOf(services.auth.sendCode({ method: 'voice' }));
    expect(failure.code).toBe('rate_limited');
    expect(failure.extra.retryAfterSeconds).toBeGreaterThan(0);
    expect(failure.extra.retryAfterSeconds).toBeLessThanOrEqual(30);
    clock.advance(31_000);
    await expect(services.auth.sendCode({ method: 'sms' })).resolves.toMatchObject({ sendsLeft: 3 });
  });

  it('refresh rotation: an expired access token is refreshed silently; the old refresh token is dead', async () => {
    const { services } = await open();
    await signIn(portal, services, 'admin', true);
    const account = keychainAccount(new URL(portal.url).origin, ACCOUNTS.admin.email);
    const first = await services.credentials.getPassword(KEYCHAIN_SERVICE, account);
    clock.advance(16 * MINUTE); // the access token (15 min) lapses on the portal
    await expect(services.employees.list({ limit: 1 })).resolves.toMatchObject({ items: [expect.anything()] });
    const second = await services.credentials.getPassword(KEYCHAIN_SERVICE, account);
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
    expect((await services.auth.getState()).signedIn).toBe(true);
    // Reuse of the rotated-out token is refused, and the portal revokes the whole family.
    const reuse = await portalRequest(portal, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: first } });
    expect(reuse.status).toBe(401);
    expect(isFamilyRevoked(second!)).toBe(true);
    const after = await failureOf(services.employees.list({ limit: 1 }));
    expect(after.code).toBe('unauthenticated');
    expect((await services.auth.getState()).signedIn).toBe(false);
  });

  it('idle expiry: 30 minutes without activity signs out (and revokes on the portal)', async () => {
    let now = Date.now();
    const { services } = await open({ clock: () => now });
    await signIn(portal, services, 'admin', true);
    const refreshToken = await services.credentials.getPassword(KEYCHAIN_SERVICE, keychainAccount(new URL(portal.url).origin, ACCOUNTS.admin.email));
    now += 20 * MINUTE;
    await services.employees.list({ limit: 1 });
    now += 20 * MINUTE; // 40 min after sign-in, 20 after the last activity
    await services.employees.list({ limit: 1 });
    now += 31 * MINUTE;
    const failure = await failureOf(services.employees.list({ limit: 1 }));
    expect(failure.code).toBe('unauthenticated');
    expect(failure.message).toMatch(/30 minutes/);
    expect((await services.auth.getState()).signedIn).toBe(false);
    await expect.poll(() => isFamilyRevoked(refreshToken!)).toBe(true);
  });

  it('sign-out revokes server-side: the old tokens are refused by the portal afterwards', async () => {
    const { services } = await open();
    await signIn(portal, services, 'globex', true);
    const account = keychainAccount(new URL(portal.url).origin, ACCOUNTS.globex.email);
    const refreshToken = await services.credentials.getPassword(KEYCHAIN_SERVICE, account);
    await expect(services.auth.signOut()).resolves.toEqual({ revokedOnPortal: true, notCleared: [] });
    expect(isFamilyRevoked(refreshToken!)).toBe(true);
    const refused = await portalRequest(portal, 'POST', '/api/v1/auth/refresh', { body: { refreshToken } });
    expect(refused.status).toBe(401);
    expect(await services.credentials.getPassword(KEYCHAIN_SERVICE, account)).toBeNull();
    expect((await failureOf(services.employees.list({}))).code).toBe('unauthenticated');
  });

  it('sign-out while the portal is unreachable still ends the session and removes the keychain entry', async () => {
    const doomed = await startTestPortal();
    let isClosed = false;
    try {
      const { services } = await open({ portal: { url: doomed.url, caPem: doomed.tls.cert } });
      await signIn(doomed, services, 'admin', true);
      const account = keychainAccount(new URL(doomed.url).origin, ACCOUNTS.admin.email);
      expect(await services.credentials.getPassword(KEYCHAIN_SERVICE, account)).toBeTruthy();
      await doomed.close();
      isClosed = true;
      await expect(services.auth.signOut()).resolves.toEqual({ revokedOnPortal: false, notCleared: [] });
      expect(await services.credentials.getPassword(KEYCHAIN_SERVICE, account)).toBeNull();
      expect((await services.auth.getState()).signedIn).toBe(false);
    } finally {
      if (!isClosed) await doomed.close();
    }
  });
});

describe('settings:set-portal', () => {
  it('switching to another portal signs out of the old one (revoked there) and uses the new address', async () => {
    const { services } = await open();
    await signIn(portal, services, 'admin', true);
    const refreshToken = await services.credentials.getPassword(KEYCHAIN_SERVICE, keychainAccount(new URL(portal.url).origin, ACCOUNTS.admin.email));
    const events: string[] = [];
    services.emitter.onEvent((event, payload) => events.push(`${event}:${JSON.stringify((payload as { signedIn?: boolean }).signedIn)}`));
    const settings = await services.settings.setPortal({ portalUrl: 'https://127.0.0.1:9/' });
    expect(settings).toMatchObject({ portalUrl: 'https://127.0.0.1:9', caFile: null, certificatePin: null, isDemoPortal: false });
    expect(isFamilyRevoked(refreshToken!)).toBe(true);
    expect(await services.auth.getState()).toMatchObject({ signedIn: false, portalUrl: 'https://127.0.0.1:9' });
    expect(events).toContain('auth:state-changed:false');
    const failure = await failureOf(services.auth.startLogin({ email: ACCOUNTS.admin.email, password: ACCOUNTS.admin.password, rememberMe: false }));
    expect(failure.code).toBe('offline');
  });
});

describe('TLS', () => {
  it('an untrusted certificate (the portal\'s self-signed one, not passed) → tls_untrusted', async () => {
    const { services } = await open({ portal: { url: portal.url } });
    const failure = await failureOf(services.auth.startLogin({ email: ACCOUNTS.admin.email, password: ACCOUNTS.admin.password, rememberMe: false }));
    expect(failure.code).toBe('tls_untrusted');
  });

  it('a pin that does not match → tls_untrusted; the right pin works', async () => {
    const wrong = await open({ portal: { url: portal.url, caPem: portal.tls.cert, certificatePin: 'f'.repeat(64) } });
    expect((await failureOf(wrong.services.auth.startLogin({ email: ACCOUNTS.admin.email, password: 'x', rememberMe: false }))).code).toBe('tls_untrusted');
    const right = await open({ portal: { url: portal.url, caPem: portal.tls.cert, certificatePin: pinOf(portal.tls.cert) } });
    await expect(right.services.auth.startLogin({ email: ACCOUNTS.admin.email, password: 'wrong-password', rememberMe: false })).resolves.toEqual({ step: 'invalid_credentials' });
  });

  it('a trusted certificate for another host name → tls_untrusted', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'portal-admin-wrong-host-'));
    const certificate = await makeCertificate({ names: ['portal.wrong.example'] });
    writeFileSync(join(directory, 'cert.pem'), certificate.cert);
    writeFileSync(join(directory, 'key.pem'), certificate.key);
    const wrongHost = await startTestPortal({ seed: null, certFile: join(directory, 'cert.pem'), keyFile: join(directory, 'key.pem') });
    try {
      const { services } = await open({ portal: { url: wrongHost.url, caPem: certificate.cert } });
      const failure = await failureOf(services.auth.startLogin({ email: ACCOUNTS.admin.email, password: 'x', rememberMe: false }));
      expect(failure.code).toBe('tls_untrusted');
    } finally {
      await wrongHost.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('the CA file from Settings is trusted', async () => {
    const { services } = await open({ portal: { url: portal.url, caFile: portal.tls.certPath } });
    await expect(services.auth.startLogin({ email: ACCOUNTS.admin.email, password: 'wrong-password', rememberMe: false })).resolves.toEqual({ step: 'invalid_credentials' });
  });
});

describe('employees through the services', () => {
  let handle: ServicesHandle;
  /** An employee who is not one of the sign-in accounts (changing their number would break later sign-ins). */
  let target: string;
  beforeAll(async () => {
    handle = await open();
    await signIn(portal, handle.services, 'admin');
    const page = await handle.services.employees.list({ limit: 50, sort: 'name' });
    const signInIds = new Set(['acme-0001', 'acme-0002', 'acme-0003', 'acme-0004']);
    target = page.items.find((item) => !signInIds.has(item.id) && item.role !== 'admin')!.id;
  });

  it('lists the caller\'s company and gets one employee', async () => {
    const list = await handle.services.employees.list({ limit: 10, sort: 'name' });
    expect(list.items).toHaveLength(10);
    expect(list.total).toBeGreaterThan(10);
    const one = await handle.services.employees.get({ id: list.items[0]!.id });
    expect(one).toEqual(list.items[0]);
  });

  it('another company\'s employee is not_found', async () => {
    expect((await failureOf(handle.services.employees.get({ id: 'globex-0001' }))).code).toBe('not_found');
  });

  it('updates with If-Match; a stale version is a conflict carrying the portal\'s employee', async () => {
    const before: Employee = await handle.services.employees.get({ id: target });
    const updated = await handle.services.employees.update({ id: before.id, version: before.version, cellPhone: '(212) 555-0199', idempotencyKey: randomUUID() });
    expect(updated).toMatchObject({ cellPhone: '+12125550199', version: before.version + 1 });
    const stale = await failureOf(handle.services.employees.update({ id: before.id, version: before.version, cellPhone: '+1 212 555 0198', idempotencyKey: randomUUID() }));
    expect(stale.code).toBe('conflict');
    expect(stale.extra.current).toMatchObject({ id: before.id, version: before.version + 1, cellPhone: '+12125550199' });
  });

  it('the same Idempotency-Key replays one save instead of applying it twice', async () => {
    const before = await handle.services.employees.get({ id: target });
    const key = crypto.randomUUID();
    const first = await handle.services.employees.update({ id: before.id, version: before.version, cellPhone: '+12125550197', idempotencyKey: key });
    const again = await handle.services.employees.update({ id: before.id, version: before.version, cellPhone: '+12125550197', idempotencyKey: key });
    expect(again).toEqual(first);
    expect((await handle.services.employees.get({ id: before.id })).version).toBe(before.version + 1);
  });

  it('an invalid number is a validation failure with field reasons, and the portal is not called', async () => {
    const before = await handle.services.employees.get({ id: target });
    const failure = await failureOf(handle.services.employees.update({ id: before.id, version: before.version, cellPhone: '+1 900 555 0100', idempotencyKey: randomUUID() }));
    expect(failure.code).toBe('validation');
    expect(failure.extra.fields?.[0]).toMatchObject({ field: 'cellPhone' });
    expect((await handle.services.employees.get({ id: before.id })).version).toBe(before.version);
  });

  it('a non-admin may list but not update (forbidden)', async () => {
    const tech = await open();
    await signIn(portal, tech.services, 'tech');
    const other = await tech.services.employees.get({ id: target });
    expect(other.cellPhone).toMatch(/^•+ ?\d{4}$/); // non-admins see numbers masked
    expect((await failureOf(tech.services.employees.update({ id: other.id, version: other.version, cellPhone: '+12125550190', idempotencyKey: randomUUID() }))).code).toBe('forbidden');
  });
});
