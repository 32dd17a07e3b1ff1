import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Employee } from '../../../common/api';
import { createGate, type Sender } from '../../../electron/main/ipc/gate';
import { startTestPortal, type TestPortal } from '../../support/portal';
import { ACCOUNTS, servicesFor, signIn, type ServicesHandle } from './support';

/**
 * The product's keychain (`keychain: 'os'`, the Secret Service pinned on Linux) on a machine that
 * has none: the D-Bus session bus this process would talk to does not exist. Each test file runs in
 * its own process, and the keyring library reads the address at its first use, so this file sees no
 * Secret Service even when `npm test` runs inside scripts/with-keyring.sh.
 */
process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/portal-admin-test-bus';

const SENDER: Sender = { transport: 'websocket', origin: 'http://127.0.0.1:1', authenticated: true };
let portal: TestPortal;
const handles: ServicesHandle[] = [];

beforeAll(async () => {
  portal = await startTestPortal();
}, 60_000);
afterAll(async () => {
  await Promise.all(handles.map((handle) => handle.close()));
  await portal.close();
});

async function open(): Promise<ServicesHandle> {
  const handle = await servicesFor(portal, { keychain: 'os' });
  handles.push(handle);
  return handle;
}

/** The portal's sign-in families of an account that are still alive (not revoked). */
function liveFamilies(email: string): number {
  const row = portal.db
    .prepare('SELECT count(*) AS live FROM token_families f JOIN employees e ON e.id = f.employee_id WHERE e.email = ? AND f.revoked_at IS NULL')
    .get(email) as { live: number };
  return row.live;
}

describe.skipIf(process.platform !== 'linux')('without a Secret Service (the OS keychain cannot be reached)', () => {
  it('the keychain really is unreachable here', async () => {
    const { services } = await open();
    await expect(services.credentials.getPassword('Portal Admin', 'probe')).rejects.toMatchObject({ code: 'keychain_unavailable' });
  });

  it('sign-out ends the session in main and on the portal, and says what could not be cleared', async () => {
    const { services } = await open();
    await signIn(portal, services, 'admin', false, true);
    expect(liveFamilies(ACCOUNTS.admin.email)).toBeGreaterThan(0);
    const gate = createGate({ services, isTrustedSender: () => true });

    const result = await gate.invoke('auth:sign-out', {}, SENDER);

    expect(result.ok).toBe(true);
    const value = (result as { value: { revokedOnPortal: boolean; notCleared: string[] } }).value;
    expect(value.revokedOnPortal).toBe(true);
    expect(value.notCleared.join(' ')).toMatch(/keychain/i);
    expect((await services.auth.getState()).signedIn).toBe(false);
    expect(liveFamilies(ACCOUNTS.admin.email)).toBe(0);
    await expect(services.employees.list({ limit: 1 })).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('Save as draft says what failed (the keychain, not "Remember me") and the outbox says the same, without failing', async () => {
    const { services } = await open();
    await signIn(portal, services, 'admin', false, false);
    const gate = createGate({ services, isTrustedSender: () => true });
    const page = await services.employees.list({ limit: 20 });
    const employee = page.items.find((item) => item.cellPhone !== null && item.role !== 'admin') as Employee;

    const saved = await gate.invoke('drafts:save', { employee, cellPhone: '+1 212 555 0188' }, SENDER);
    expect(saved.ok).toBe(false);
    const error = (saved as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('keychain_unavailable');
    expect(error.message).toMatch(/draft/i);
    expect(error.message).toMatch(/keychain/i);
    expect(error.message).not.toMatch(/remember/i);

    const state = await gate.invoke('drafts:get-state', {}, SENDER);
    expect(state.ok).toBe(true);
    const problem = (state as { value: { problem: string | null; problemDetail?: unknown } }).value.problem;
    expect((state as { value: { problemDetail?: unknown } }).value.problemDetail).toEqual({ code: 'keychain_unavailable' });
    expect(problem).toMatch(/keychain/i);
    expect(problem).not.toMatch(/remember/i);
    await services.signOut({});
  });

  it('"Remember me" without a keychain signs in and says it could not remember', async () => {
    const { services } = await open();
    const account = ACCOUNTS.tech;
    const first = await services.auth.startLogin({ email: account.email, password: account.password, rememberMe: true });
    expect(first.step).toBe('second_factor_required');
    await services.auth.sendCode({ method: 'sms' });
    const message = portal.app.demoSms?.list(50).find((item) => item.recipient === account.phone);
    const code = /\b(\d{6})\b/.exec(message?.text ?? '')?.[1] ?? '';
    const step = await services.auth.verifyCode({ code });
    expect(step).toMatchObject({ step: 'signed_in', notice: expect.stringMatching(/keychain/i) as unknown });
    expect((step as { notice: string }).notice).toMatch(/will not be remembered|not remembered|cannot remember/i);
    await services.signOut({});
  });
});
