/**
 * Attack: someone who knows an admin's e-mail sends wrong passwords for it, to keep the admin from
 * signing in (before, 100 failures from anywhere made even the right password wait). Failures now
 * count per (e-mail, source address): the guesser's address slows down, the admin's does not.
 *
 * The first guesses are written with the portal's own `recordFailure` (what a wrong password
 * records), the last ones are real sign-ins over HTTPS: the attack reaches the limit in seconds.
 * `npm run bench:sign-in-limits` makes all 100 guesses over HTTPS and reports the time.
 */
import { expect, it } from 'vitest';
import { FAILURE_LIMIT } from '../../server/auth/rate-limit';
import { ACCOUNTS } from '../integration/server/auth-helpers';
import { inBatches, loginFrom, recordPastFailures, withAuthPortal } from './support';

/** Wrong passwords sent over HTTPS at the end of the run (the rest are recorded beforehand). */
const OVER_HTTPS = 4;
const { portal } = withAuthPortal();

it('100 wrong passwords from 127.0.0.2 do not make the admin wait: the right password from 127.0.0.1 signs in at once', { timeout: 120_000 }, async () => {
  expect(FAILURE_LIMIT).toBe(100);
  await recordPastFailures(portal(), '127.0.0.2', Array.from({ length: FAILURE_LIMIT - OVER_HTTPS }, () => ACCOUNTS.admin.email));
  const guesses = await inBatches(OVER_HTTPS, 2, (index) => loginFrom(portal(), '127.0.0.2', ACCOUNTS.admin.email, `guess-${index}`));
  expect(guesses.map((answer) => answer.status)).toEqual(Array.from({ length: OVER_HTTPS }, () => 401));

  // The guesser's own address is now slowed down, even with the right password.
  const guesserAgain = await loginFrom(portal(), '127.0.0.2', ACCOUNTS.admin.email, ACCOUNTS.admin.password);
  expect(guesserAgain.status).toBe(429);
  expect(Number(guesserAgain.headers['retry-after'])).toBeGreaterThan(0);

  // The admin, from their own address, is not.
  const admin = await loginFrom(portal(), '127.0.0.1', ACCOUNTS.admin.email, ACCOUNTS.admin.password);
  expect(admin.status, admin.text).toBe(200);
  expect(admin.body).toMatchObject({ challengeId: expect.any(String) });
});
