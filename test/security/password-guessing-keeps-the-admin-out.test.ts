/**
 * Attack: someone who knows an admin's e-mail sends wrong passwords for it, to keep the admin from
 * signing in (before, 100 failures from anywhere made even the right password wait). Failures now
 * count per (e-mail, source address): the guesser's address slows down, the admin's does not.
 */
import { expect, it } from 'vitest';
import { ACCOUNTS } from '../integration/server/auth-helpers';
import { inBatches, loginFrom, withAuthPortal } from './support';

const { portal } = withAuthPortal();

it('100 wrong passwords from 127.0.0.2 do not make the admin wait: the right password from 127.0.0.1 signs in at once', { timeout: 300_000 }, async () => {
  const guesses = await inBatches(100, 4, (index) => loginFrom(portal(), '127.0.0.2', ACCOUNTS.admin.email, `guess-${index}`));
  expect(guesses.every((answer) => answer.status === 401)).toBe(true);

  // The guesser's own address is now slowed down, even with the right password.
  const guesserAgain = await loginFrom(portal(), '127.0.0.2', ACCOUNTS.admin.email, ACCOUNTS.admin.password);
  expect(guesserAgain.status).toBe(429);
  expect(Number(guesserAgain.headers['retry-after'])).toBeGreaterThan(0);

  // The admin, from their own address, is not.
  const admin = await loginFrom(portal(), '127.0.0.1', ACCOUNTS.admin.email, ACCOUNTS.admin.password);
  expect(admin.status, admin.text).toBe(200);
  expect(admin.body).toMatchObject({ challengeId: expect.any(String) });
});
