import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fail, ok } from '../../../../common/ipc';
import { useAuthStore } from '../../../../renderer/stores/auth';
import { followSessionLifecycle } from '../../../../renderer/stores/session-lifecycle';
import { useEmployeesStore } from '../../../../renderer/stores/employees';
import { useNotificationsStore } from '../../../../renderer/stores/notifications';
import { ADMIN, SETTINGS, SIGNED_OUT, createFakePortal, makeEmployee, signedIn } from '../support/fake-portal';
import { setUpPortal, type Harness } from '../support/mount';

let harness: Harness;
let stopFollowingSession: () => void = () => {};
beforeEach(() => {
  harness = setUpPortal(createFakePortal());
  // What the signed-in shell starts when it mounts: the stores follow the session.
  stopFollowingSession = followSessionLifecycle();
});
afterEach(() => {
  stopFollowingSession();
  vi.useRealTimers();
});

async function atSecondFactor() {
  const auth = useAuthStore();
  await auth.init();
  await auth.signIn({ email: ' admin@acme.test ', password: 'pw', rememberMe: false });
  return auth;
}

describe('useAuthStore', () => {
  it('"Send code" pressed while the password step is still answering waits for it instead of being dropped', async () => {
    const auth = useAuthStore();
    await auth.init();
    let answer: (value: Awaited<ReturnType<typeof harness.portal.api.auth.startLogin>>) => void = () => undefined;
    harness.portal.api.auth.startLogin.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    const signingIn = auth.signIn({ email: 'admin@acme.test', password: 'pw', rememberMe: false });
    // Main announces the challenge before its answer to startLogin arrives: the form shows.
    harness.portal.emitAuthState({ ...SIGNED_OUT, pending: { methods: ['sms'], destination: '•••• 0142', expiresAt: '2030-01-01T00:10:00.000Z' } });
    expect(auth.step).toBe('second_factor');
    expect(auth.isBusy).toBe(true);
    const sending = auth.sendCode();
    await Promise.resolve();
    expect(harness.portal.api.auth.sendCode).not.toHaveBeenCalled();
    answer(ok({ step: 'second_factor_required', methods: ['sms'], destination: '•••• 0142', expiresAt: '2030-01-01T00:10:00.000Z' }));
    await signingIn;
    await sending;
    expect(harness.portal.api.auth.sendCode).toHaveBeenCalledWith({ method: 'sms' });
    expect(auth.sentCode?.destination).toBe('•••• 0142');
  });

  it('starts at the portal settings step on a first run without a portal', async () => {
    harness.portal.api.settings.get.mockResolvedValue(ok({ ...SETTINGS, portalUrl: null }));
    const auth = useAuthStore();
    await auth.init();
    expect(auth.step).toBe('settings');
    auth.portalConfigured();
    expect(auth.step).toBe('credentials');
  });

  it('signs in with a password, then a texted code; remember-me is sent as chosen and off by default', async () => {
    const auth = await atSecondFactor();
    expect(harness.portal.api.auth.startLogin).toHaveBeenCalledWith({ email: 'admin@acme.test', password: 'pw', rememberMe: false, keepOfflineCopy: false });
    expect(auth.step).toBe('second_factor');
    expect(auth.challenge?.methods).toEqual(['sms', 'voice']);
    expect(auth.method).toBe('sms');

    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    await auth.sendCode();
    expect(harness.portal.api.auth.sendCode).toHaveBeenCalledWith({ method: 'sms' });
    expect(auth.sentCode).toEqual({ method: 'sms', destination: '•••• 0142', sendsLeft: 4 });
    expect(auth.resendAvailableAt).toBe(Date.parse('2030-01-01T00:00:30Z'));

    await auth.verifyCode('123 456');
    expect(harness.portal.api.auth.verifyCode).toHaveBeenCalledWith({ code: '123456', method: 'sms' });
    expect(auth.step).toBe('signed_in');
    expect(auth.displayName).toBe('Alex Morgan');
    expect(auth.isAdmin).toBe(true);
    expect(auth.companyCountry).toBe('US');
  });

  it('says how many attempts are left after a wrong code, and starts over when none are', async () => {
    const auth = await atSecondFactor();
    harness.portal.api.auth.verifyCode.mockResolvedValueOnce(ok({ step: 'invalid_code', attemptsLeft: 3 }));
    await auth.verifyCode('000000');
    expect(auth.step).toBe('second_factor');
    expect(auth.attemptsLeft).toBe(3);
    expect(auth.error).toBe('That code is not right. 3 attempts left.');

    harness.portal.api.auth.verifyCode.mockResolvedValueOnce(ok({ step: 'invalid_code', attemptsLeft: 0 }));
    await auth.verifyCode('000000');
    expect(auth.step).toBe('credentials');
    expect(auth.error).toMatch(/no attempts are left/);
  });

  it('refuses a code that is not 6 digits without calling the portal', async () => {
    const auth = await atSecondFactor();
    await auth.verifyCode('12345');
    expect(auth.error).toBe('Enter the 6 digits of the code.');
    expect(harness.portal.api.auth.verifyCode).not.toHaveBeenCalled();
  });

  it('puts locks, rate limits and wrong passwords in plain words with the wait time', async () => {
    const auth = useAuthStore();
    await auth.init();
    harness.portal.api.auth.startLogin.mockResolvedValueOnce(ok({ step: 'invalid_credentials' }));
    await auth.signIn({ email: 'a@b.c', password: 'x', rememberMe: false });
    expect(auth.error).toBe('The email or password is not right.');

    harness.portal.api.auth.startLogin.mockResolvedValueOnce(ok({ step: 'rate_limited', retryAfterSeconds: 125 }));
    await auth.signIn({ email: 'a@b.c', password: 'x', rememberMe: false });
    expect(auth.error).toBe('Too many attempts. Try again in 3 minutes.');

    harness.portal.api.auth.startLogin.mockResolvedValueOnce(ok({ step: 'locked', retryAfterSeconds: 45 }));
    await auth.signIn({ email: 'a@b.c', password: 'x', rememberMe: false });
    expect(auth.error).toBe('Too many attempts: this account is locked for now. Try again in 45 seconds.');

    harness.portal.api.auth.startLogin.mockResolvedValueOnce(fail('offline', 'ECONNREFUSED 10.0.0.1:443'));
    await auth.signIn({ email: 'a@b.c', password: 'x', rememberMe: false });
    expect(auth.error).toBe('The portal cannot be reached. Check the network connection and try again.');
    expect(auth.step).toBe('credentials');
  });

  it('keeps the resend countdown from a rate-limited send', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    const auth = await atSecondFactor();
    harness.portal.api.auth.sendCode.mockResolvedValueOnce(fail('rate_limited', 'Too many', { retryAfterSeconds: 20 }));
    await auth.sendCode();
    expect(auth.resendAvailableAt).toBe(Date.parse('2030-01-01T00:00:20Z'));
    expect(auth.error).toBe('Too many attempts. Try again in 20 seconds.');
  });

  it('restores a remembered session, and returns to sign-in with a notice when main ends it', async () => {
    harness.portal.api.auth.getState.mockResolvedValue(ok(signedIn()));
    const auth = useAuthStore();
    await auth.init();
    expect(auth.step).toBe('signed_in');
    const employees = useEmployeesStore();
    harness.portal.api.employees.list.mockResolvedValue(ok({ items: [makeEmployee()], nextCursor: null, total: 1 }));
    await employees.load();
    expect(employees.size).toBe(1);

    harness.portal.emitAuthState(SIGNED_OUT);
    expect(auth.step).toBe('credentials');
    expect(auth.user).toBeNull();
    expect(auth.notice).toBe('Your session has ended. Sign in again to continue.');
    expect(employees.size).toBe(0);
  });

  it('signs out, forgetting the user and the employee list', async () => {
    harness.portal.api.auth.getState.mockResolvedValue(ok(signedIn(ADMIN)));
    const auth = useAuthStore();
    await auth.init();
    harness.portal.api.auth.signOut.mockImplementationOnce(async () => {
      harness.portal.emitAuthState(SIGNED_OUT);
      return ok({ revokedOnPortal: true, notCleared: [] });
    });
    await auth.signOut();
    expect(auth.step).toBe('credentials');
    expect(auth.user).toBeNull();
    expect(auth.notice).toBe('You are signed out.');
  });

  it.each([
    [['totp', 'sms', 'voice'], 'totp'],
    [['voice', 'sms'], 'voice'],
    [['sms', 'voice', 'totp'], 'sms'],
  ] as const)('the second-factor step starts with the account’s own method, listed first by the portal (%j)', async (methods, expected) => {
    harness.portal.api.auth.startLogin.mockResolvedValueOnce(ok({ step: 'second_factor_required', methods: [...methods], destination: null, expiresAt: '2030-01-01T00:10:00.000Z' }));
    const auth = await atSecondFactor();
    expect(auth.method).toBe(expected);
  });

  it('says what could not be cleared on this computer after a sign-out (no keychain)', async () => {
    harness.portal.api.auth.getState.mockResolvedValue(ok(signedIn(ADMIN)));
    const auth = useAuthStore();
    await auth.init();
    harness.portal.api.auth.signOut.mockResolvedValueOnce(ok({ revokedOnPortal: true, notCleared: ['The system keychain could not be reached, so …'] }));
    await auth.signOut();
    expect(auth.step).toBe('credentials');
    expect(auth.notice).toBe('You are signed out. The system keychain could not be reached, so …');
  });

  it('no message about employees outlives the session on screen', async () => {
    harness.portal.api.auth.getState.mockResolvedValue(ok(signedIn(ADMIN)));
    const auth = useAuthStore();
    await auth.init();
    const notifications = useNotificationsStore();
    notifications.notify('Saved. Ada Lovelace’s cell phone number is now +1 212-555-0100.', 'success');
    await auth.signOut();
    expect(auth.step).toBe('credentials');
    expect(notifications.current).toBeNull();
  });

  it('a sign-in that could not be remembered says so', async () => {
    harness.portal.api.auth.verifyCode.mockResolvedValueOnce(ok({ step: 'signed_in', user: ADMIN, notice: 'this sign-in will not be remembered' }));
    const auth = await atSecondFactor();
    await auth.verifyCode('123456');
    expect(auth.step).toBe('signed_in');
    expect(useNotificationsStore().current?.text).toBe('this sign-in will not be remembered');
  });

  it('shows sign-out as in progress until main answers, and ignores a second click meanwhile', async () => {
    harness.portal.api.auth.getState.mockResolvedValue(ok(signedIn(ADMIN)));
    const auth = useAuthStore();
    await auth.init();
    let answer: () => void = () => undefined;
    harness.portal.api.auth.signOut.mockImplementationOnce(
      () => new Promise((resolve) => (answer = () => resolve(ok({ revokedOnPortal: true, notCleared: [] })))),
    );
    const first = auth.signOut();
    expect(auth.isSigningOut).toBe(true);
    await auth.signOut();
    expect(harness.portal.api.auth.signOut).toHaveBeenCalledTimes(1);
    answer();
    await first;
    expect(auth.isSigningOut).toBe(false);
    expect(auth.step).toBe('credentials');
  });

  it('a transport that throws becomes an offline error, not an unhandled rejection', async () => {
    const auth = useAuthStore();
    await auth.init();
    harness.portal.api.auth.startLogin.mockRejectedValueOnce(new Error('socket closed'));
    await auth.signIn({ email: 'a@b.c', password: 'x', rememberMe: false });
    expect(auth.error).toBe('The portal cannot be reached. Check the network connection and try again.');
  });
});
