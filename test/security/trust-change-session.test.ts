import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keychainAccount, KEYCHAIN_SERVICE } from '../../electron/main/infra/credential-store';
import { pinOf } from '../../server/tls/certificate';
import { isRefreshFamilyRevoked, startTestPortal, type TestPortal } from '../support/portal';
import { ACCOUNTS, servicesFor, signIn, type ServicesHandle } from '../integration/electron/support';

/**
 * Attack: change the portal's trust (its CA certificate or pin) while keeping the same address —
 * from a compromised page, or by talking the admin into it — so that the session made under the
 * old trust goes on under the new one: its tokens would be sent to whichever server the new trust
 * accepts (a machine in the middle), and the remembered sign-in would come back with it.
 */
let portal: TestPortal;
let handle: ServicesHandle | null = null;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(async () => {
  await handle?.close();
  await portal.close();
});

describe('attack: trust change keeping the session', () => {
  it('a new pin for the same portal address signs out first, revokes the session and forgets the remembered sign-in', async () => {
    handle = await servicesFor(portal);
    const { services } = handle;
    await signIn(portal, services, 'admin', true);
    const account = keychainAccount(new URL(portal.url).origin, ACCOUNTS.admin.email);
    const refreshToken = await services.credentials.getPassword(KEYCHAIN_SERVICE, account);
    expect(refreshToken).not.toBeNull();

    // The same address, another trust (here a pin that still matches, so only the change itself is tested).
    await services.settings.setPortal({ portalUrl: portal.url, certificatePin: pinOf(portal.tls.cert) });

    expect(await services.auth.getState()).toMatchObject({ signedIn: false, user: null });
    expect(isRefreshFamilyRevoked(portal, refreshToken!)).toBe(true);
    expect(await services.credentials.getPassword(KEYCHAIN_SERVICE, account)).toBeNull();
    await expect(services.employees.list({ limit: 10 })).rejects.toMatchObject({ code: 'unauthenticated' });
  });
});
