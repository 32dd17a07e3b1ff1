import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import type { Employee } from '../../../../common/api';
import { encodeEmployeeRows, fail, ok } from '../../../../common/ipc';
import { useAuthStore } from '../../../../renderer/stores/auth';
import { followSessionLifecycle } from '../../../../renderer/stores/session-lifecycle';
import { useConnectionStore } from '../../../../renderer/stores/connection';
import { useEmployeesStore } from '../../../../renderer/stores/employees';
import { lockedMessage, useOfflineStore } from '../../../../renderer/stores/offline';
import { ADMIN, NO_OFFLINE, createFakePortal, makeEmployee, signedIn } from '../support/fake-portal';
import { setUpPortal, settle, type Harness } from '../support/mount';

let harness: Harness;
let stopFollowingSession: () => void = () => {};
beforeEach(() => {
  harness = setUpPortal(createFakePortal());
  // What the signed-in shell starts when it mounts: the stores follow the session.
  stopFollowingSession = followSessionLifecycle();
});
afterEach(() => stopFollowingSession());

const ACCOUNT = { email: ADMIN.email, asOf: '2030-01-01T08:00:00.000Z', isLocked: false };

/** An offline copy of `all`, served by offset and limit like main does. */
function offlineCopy(all: Employee[], asOf: string | null = ACCOUNT.asOf): void {
  harness.portal.api.employees.listOffline.mockImplementation(async ({ offset, limit }) =>
    ok({ rows: encodeEmployeeRows(all.slice(offset, offset + limit)), total: all.length, asOf }),
  );
}

describe('useOfflineStore and working offline', () => {
  it('unlocks: a wrong password says how many attempts are left, then locked, then the shell opens for the user', async () => {
    harness.portal.api.offline.getState.mockResolvedValue(ok({ ...NO_OFFLINE, accounts: [ACCOUNT] }));
    const auth = useAuthStore();
    await auth.init();
    const offline = useOfflineStore();
    expect(offline.hasAccounts).toBe(true);

    harness.portal.api.offline.unlock.mockResolvedValueOnce(ok({ step: 'invalid_password', attemptsLeft: 3 }));
    expect(await offline.unlock({ email: ' admin@acme.test ', password: 'nope' })).toBe(false);
    expect(harness.portal.api.offline.unlock).toHaveBeenCalledWith({ email: 'admin@acme.test', password: 'nope' });
    expect(offline.error).toBe('The password is not right. 3 attempts left.');

    harness.portal.api.offline.unlock.mockResolvedValueOnce(ok({ step: 'locked' }));
    await offline.unlock({ email: 'admin@acme.test', password: 'nope' });
    expect(offline.error).toBe(lockedMessage());

    harness.portal.api.offline.unlock.mockResolvedValueOnce(ok({ step: 'no_offline_copy' }));
    await offline.unlock({ email: 'admin@acme.test', password: 'x' });
    expect(offline.error).toMatch(/no offline copy for this account/);

    // Gone or not trusted (expired, changed outside the app): main says why, the page shows it.
    const expired = 'The offline copy was deleted: nobody signed in with the portal for 14 days. Sign in with the portal to make a new one; your drafts are kept.';
    harness.portal.api.offline.unlock.mockResolvedValueOnce(ok({ step: 'unavailable', message: expired }));
    expect(await offline.unlock({ email: 'admin@acme.test', password: 'x' })).toBe(false);
    expect(offline.error).toBe(expired);

    harness.portal.api.offline.unlock.mockResolvedValueOnce(ok({ step: 'unlocked', user: ADMIN }));
    expect(await offline.unlock({ email: 'admin@acme.test', password: 'right' })).toBe(true);
    expect(auth.isWorkingOffline).toBe(true);
    expect(auth.isSignedIn).toBe(false);
    expect(auth.hasSession).toBe(true);
    expect(auth.displayName).toBe('Alex Morgan');
    expect(auth.isAdmin).toBe(true);
    await settle();
    expect(harness.portal.api.drafts.getState).toHaveBeenCalledTimes(1);
  });

  it('follows offline:changed, and leaves the shell when main ends the offline session', async () => {
    const auth = useAuthStore();
    await auth.init();
    harness.portal.emitOffline({ accounts: [ACCOUNT], user: ADMIN, asOf: ACCOUNT.asOf });
    expect(auth.mode).toBe('offline');
    harness.portal.emitOffline({ accounts: [ACCOUNT], user: null, asOf: null });
    expect(auth.mode).toBe('none');
  });

  it('signing out while offline only stops working offline: nothing is asked, the email stays for the sign-in', async () => {
    const auth = useAuthStore();
    await auth.init();
    harness.portal.emitOffline({ accounts: [ACCOUNT], user: ADMIN, asOf: ACCOUNT.asOf });
    harness.portal.api.offline.leave.mockResolvedValueOnce(ok({ accounts: [ACCOUNT], user: null, asOf: null }));
    expect(await auth.signOut()).toBe('signed_out');
    expect(harness.portal.api.offline.leave).toHaveBeenCalledTimes(1);
    expect(harness.portal.api.auth.signOut).not.toHaveBeenCalled();
    expect(auth.hasSession).toBe(false);
    expect(auth.step).toBe('credentials');
    expect(auth.email).toBe('admin@acme.test');
    expect(auth.notice).toContain('Your drafts stay encrypted on this computer.');
  });

  it('a sign-out main refuses for unsynced drafts stays signed in and asks for the choice', async () => {
    harness.portal.api.auth.getState.mockResolvedValue(ok(signedIn()));
    const auth = useAuthStore();
    await auth.init();
    harness.portal.api.auth.signOut.mockResolvedValueOnce(fail('unsynced_drafts', '2 drafts'));
    expect(await auth.signOut()).toBe('needs_drafts_choice');
    expect(auth.isSignedIn).toBe(true);
    expect(await auth.signOut({ drafts: 'discard' })).toBe('signed_out');
    expect(harness.portal.api.auth.signOut).toHaveBeenLastCalledWith({ drafts: 'discard' });
    expect(auth.isSignedIn).toBe(false);
  });
});

describe('useEmployeesStore offline', () => {
  it('working offline, loads the offline copy 2,000 rows a page and remembers its time', async () => {
    const all = Array.from({ length: 5_000 }, (_, i) => makeEmployee({ id: `o${i}`, lastName: `N${String(i).padStart(5, '0')}` }));
    offlineCopy(all);
    await useAuthStore().init();
    harness.portal.emitOffline({ accounts: [ACCOUNT], user: ADMIN, asOf: ACCOUNT.asOf });
    const employees = useEmployeesStore();
    await employees.load();
    expect(harness.portal.api.employees.list).not.toHaveBeenCalled();
    expect(harness.portal.api.employees.listOffline.mock.calls.map(([input]) => input)).toEqual([
      { offset: 0, limit: 2000 },
      { offset: 2000, limit: 2000 },
      { offset: 4000, limit: 2000 },
    ]);
    expect(employees.status).toBe('loaded');
    expect(employees.size).toBe(5_000);
    expect(employees.source).toBe('offline');
    expect(employees.asOf).toBe(ACCOUNT.asOf);
  });

  it('signed in, falls back to the offline copy when the portal cannot be reached, and keeps the error without one', async () => {
    harness.portal.api.employees.list.mockResolvedValue(fail('offline', 'ECONNREFUSED'));
    // The app starts watching the connection before anything loads (App.vue); the portal service reports the failed call.
    const connection = useConnectionStore();
    connection.start();
    onTestFinished(() => connection.stop());
    const employees = useEmployeesStore();
    await employees.load();
    expect(employees.status).toBe('error');
    expect(employees.error).toContain('The portal cannot be reached.');
    // No copy kept for this account: main is asked only as the stand-in for the unreachable portal (not first, to start from a copy).
    expect(harness.portal.api.employees.listOffline).toHaveBeenCalledTimes(1);
    expect(harness.portal.api.employees.listOffline).toHaveBeenCalledWith({ offset: 0, limit: 2000 });

    offlineCopy([makeEmployee({ id: 'c1' }), makeEmployee({ id: 'c2' })]);
    await employees.load({ force: true });
    expect(employees.status).toBe('loaded');
    expect(employees.error).toBeNull();
    expect(employees.size).toBe(2);
    expect(employees.source).toBe('offline');
    expect(connection.isPortalUnreachable).toBe(true);
  });
});

describe('a page of the offline copy that is not valid', () => {
  it('working offline: refused with a clear error, and no row of the copy shows', async () => {
    const all = [makeEmployee({ id: 'o1', lastName: 'Adams' }), makeEmployee({ id: 'o2', lastName: 'Baker' })];
    const tokens = encodeEmployeeRows(all).split('\u007f');
    // Row 2's role is not one the employee schema knows.
    tokens[2 + 11 + 4] = 'xa--';
    harness.portal.api.employees.listOffline.mockResolvedValue(ok({ rows: tokens.join('\u007f'), total: all.length, asOf: ACCOUNT.asOf }));
    await useAuthStore().init();
    harness.portal.emitOffline({ accounts: [ACCOUNT], user: ADMIN, asOf: ACCOUNT.asOf });
    const employees = useEmployeesStore();
    await employees.load();
    expect(employees.status).toBe('error');
    expect(employees.error).toBe('The offline copy could not be read. Some of its rows are not valid, so none of them is shown. The next time the list is loaded from the portal, a new copy replaces it.');
    expect(employees.size).toBe(0);
    expect(employees.findById('o1')).toBeUndefined();
  });
});

describe('useConnectionStore probing', () => {
  it('asks main to probe when the browser says the network came back or went', async () => {
    const connection = useConnectionStore();
    connection.start();
    await settle();
    window.dispatchEvent(new Event('online'));
    await settle();
    expect(harness.portal.api.connection.probe).toHaveBeenCalledTimes(1);
    expect(connection.indicator).toBe('online');
    harness.portal.api.connection.probe.mockResolvedValueOnce(ok({ state: 'offline', checkedAt: '2030-01-01T00:01:00.000Z' }));
    window.dispatchEvent(new Event('offline'));
    await settle();
    expect(harness.portal.api.connection.probe).toHaveBeenCalledTimes(2);
    expect(connection.indicator).toBe('offline');
    connection.stop();
    window.dispatchEvent(new Event('online'));
    await settle();
    expect(harness.portal.api.connection.probe).toHaveBeenCalledTimes(2);
  });
});
