import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGate, type Sender } from '../../electron/main/ipc/gate';
import { startTestPortal, type TestPortal } from '../support/portal';
import { ACCOUNTS, servicesFor, signIn, type ServicesHandle } from '../integration/electron/support';

/**
 * The attack: on a machine without a Secret Service, an administrator signs out and walks away;
 * the next person reloads the window (a new page asks main for the state) and finds the session
 * still alive, and the portal still honours its tokens. Sign-out must end the session in main and
 * revoke it on the portal whatever the keychain does.
 *
 * The product's keychain (`os`) with no D-Bus session bus: the keyring library reads the address at
 * its first use, and each test file runs in its own process.
 */
process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/portal-admin-security-bus';

const SENDER: Sender = { transport: 'websocket', origin: 'http://127.0.0.1:1', authenticated: true };
let portal: TestPortal;
let handle: ServicesHandle;

beforeAll(async () => {
  portal = await startTestPortal();
  handle = await servicesFor(portal, { keychain: 'os' });
}, 60_000);
afterAll(async () => {
  await handle?.close();
  await portal?.close();
});

function liveFamilies(email: string): number {
  return (
    portal.db
      .prepare('SELECT count(*) AS live FROM token_families f JOIN employees e ON e.id = f.employee_id WHERE e.email = ? AND f.revoked_at IS NULL')
      .get(email) as { live: number }
  ).live;
}

describe.skipIf(process.platform !== 'linux')('sign-out without a keychain', () => {
  it('leaves no session in main to reuse and none on the portal', async () => {
    const { services } = handle;
    await expect(services.credentials.getPassword('Portal Admin', 'probe')).rejects.toMatchObject({ code: 'keychain_unavailable' });
    // "Keep an offline copy" makes sign-out need the keychain for the offline data's key.
    await signIn(portal, services, 'admin', false, true);
    expect(liveFamilies(ACCOUNTS.admin.email)).toBe(1);
    const gate = createGate({ services, isTrustedSender: () => true });

    await gate.invoke('auth:sign-out', {}, SENDER);

    // The reload: what a new page of the app is told, and what it can load.
    expect(await gate.invoke('auth:get-state', {}, SENDER)).toMatchObject({ ok: true, value: { signedIn: false, user: null } });
    expect(await gate.invoke('employees:list', { limit: 1 }, SENDER)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    // The portal no longer honours the session.
    expect(liveFamilies(ACCOUNTS.admin.email)).toBe(0);
  });
});
