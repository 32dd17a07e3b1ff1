import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { keychainAccount, KEYCHAIN_SERVICE } from '../../electron/main/infra/credential-store';
import { isRefreshFamilyRevoked, portalRequest } from '../support/portal';
import { useRelayedPortal } from '../integration/electron/relayed-portal';
import { ACCOUNTS, signIn } from '../integration/electron/support';

/**
 * The attack: an administrator with "Remember me" signs out (or the app forgets the remembered
 * sign-in) while the portal cannot be reached. The refresh token leaves the keychain, but the
 * portal never heard of the sign-out, so a copy of the token taken earlier (a keychain backup, a
 * stolen profile) keeps working for up to 12 hours. The app must revoke it at the next contact.
 */
const relayed = useRelayedPortal();

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('a sign-in forgotten while the portal is unreachable', () => {
  it('is revoked on the portal at the next contact, so a copy of its refresh token stops working', async () => {
    const { portal, relay, handle } = relayed();
    const { services } = handle;
    const origin = new URL(relay.url).origin;
    await signIn(portal, services, 'admin', true);
    const stolen = await services.credentials.getPassword(KEYCHAIN_SERVICE, keychainAccount(origin, ACCOUNTS.admin.email));
    expect(stolen).toBeTruthy();
    const refreshToken = stolen ?? '';

    relay.cut();
    expect(await services.auth.signOut()).toMatchObject({ revokedOnPortal: false });
    expect(isRefreshFamilyRevoked(portal, refreshToken)).toBe(false);
    // What waits for the portal stays in the keychain, never in a file of the profile.
    expect(await services.credentials.getPassword(KEYCHAIN_SERVICE, `${origin}|#pending-revokes`)).toContain(refreshToken);
    for (const file of filesUnder(handle.directory)) expect(readFileSync(file, 'latin1')).not.toContain(refreshToken);

    // The portal is back; the next contact is the admin's next sign-in (without "Remember me").
    relay.restore();
    await signIn(portal, services, 'admin', false);
    await vi.waitFor(() => expect(isRefreshFamilyRevoked(portal, refreshToken)).toBe(true), { timeout: 15_000, interval: 100 });

    const replay = await portalRequest(portal, 'POST', '/api/v1/auth/refresh', { body: { refreshToken } });
    expect(replay.status).toBe(401);
    await vi.waitFor(async () => expect(await services.credentials.getPassword(KEYCHAIN_SERVICE, `${origin}|#pending-revokes`)).toBeNull(), { timeout: 15_000 });
  });
});
