/**
 * Attack: guessing the second factor for ever. Before, the budget of wrong codes refilled every hour
 * (~100 guesses an hour, for ever; a TOTP guess covers 3 codes). Now wrong codes are counted in a
 * row across challenges, and the 100th locks the sign-in until an administrator unlocks it (audited).
 */
import { expect, it } from 'vitest';
import { portalRequest, tokenFor } from '../support/portal';
import { ACCOUNTS, employeeId, type ChallengeBody } from '../integration/server/auth-helpers';
import { loginFrom, signInFrom, verifyFrom, withAuthPortal } from './support';

const { clock, portal } = withAuthPortal();

const LOCKED_MESSAGE = 'Too many wrong codes. Ask your administrator to unlock your sign-in.';

it('locks the second factor after 100 wrong codes in a row, keeps it locked after hours, until an admin unlocks it', { timeout: 300_000 }, async () => {
  const target = ACCOUNTS.tech;
  const answers: number[] = [];
  let last: Awaited<ReturnType<typeof verifyFrom>> | null = null;
  for (let challengeNumber = 0; challengeNumber < 20; challengeNumber++) {
    const login = await loginFrom(portal(), '127.0.0.6', target.email, target.password);
    expect(login.status, login.text).toBe(200);
    const { challengeId } = login.body as ChallengeBody;
    for (let guess = 0; guess < 5; guess++) {
      last = await verifyFrom(portal(), '127.0.0.6', challengeId, String(100_000 + challengeNumber * 5 + guess));
      answers.push(last.status);
    }
    clock.advance(60_000);
  }
  expect(answers.slice(0, 99).every((status) => status === 401)).toBe(true);
  expect(last!.status).toBe(403);
  expect(last!.body).toEqual({ code: 'sign_in_locked', message: LOCKED_MESSAGE });

  // Hours later, the right password from the user's own address still meets the lock.
  clock.advance(3 * 60 * 60_000);
  const later = await loginFrom(portal(), '127.0.0.1', target.email, target.password);
  expect(later.status).toBe(403);
  expect(later.body).toEqual({ code: 'sign_in_locked', message: LOCKED_MESSAGE });
  // A wrong password still answers like any wrong password.
  expect((await loginFrom(portal(), '127.0.0.1', target.email, 'wrong')).status).toBe(401);

  // An admin sees "locked out" and unlocks; the unlock is audited.
  const admin = tokenFor(portal(), ACCOUNTS.admin.email);
  const id = employeeId(portal(), target.email);
  const seen = await portalRequest(portal(), 'GET', `/api/v1/employees/${id}`, { token: admin });
  expect(seen.body).toMatchObject({ twoFactor: { lockedOut: true } });
  const unlocked = await portalRequest(portal(), 'POST', `/api/v1/employees/${id}/unlock`, { token: admin });
  expect(unlocked.status, unlocked.text).toBe(200);
  expect((unlocked.body as { twoFactor: Record<string, unknown> }).twoFactor).not.toHaveProperty('lockedOut');
  const audit = await portalRequest(portal(), 'GET', `/api/v1/audit?employeeId=${id}`, { token: admin });
  expect((audit.body as { items: unknown[] }).items[0]).toMatchObject({
    field: 'signInLock',
    oldValue: 'locked',
    newValue: 'unlocked',
    actor: { email: ACCOUNTS.admin.email },
  });

  // The user signs in again; a non-admin cannot unlock anyone.
  const tokens = await signInFrom(portal(), '127.0.0.1', 'tech');
  const refused = await portalRequest(portal(), 'POST', `/api/v1/employees/${id}/unlock`, { token: tokens.accessToken });
  expect(refused.status).toBe(403);
});
