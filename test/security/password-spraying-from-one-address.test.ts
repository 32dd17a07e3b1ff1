/**
 * Attack: password spraying — one address tries a common password against many e-mails, never
 * often enough against any one of them to be slowed down. The source address has its own budget
 * (200 failures an hour); beyond it everything from that address waits, and other addresses do not.
 *
 * The first tries are written with the portal's own `recordFailure` (what a wrong password records),
 * the last ones are real sign-ins over HTTPS: the attack reaches the limit in seconds.
 * `npm run bench:sign-in-limits` sends all 200 over HTTPS and reports the time.
 */
import { expect, it } from 'vitest';
import { SOURCE_FAILURE_LIMIT } from '../../server/auth/rate-limit';
import { ACCOUNTS } from '../integration/server/auth-helpers';
import { inBatches, loginFrom, recordPastFailures, withAuthPortal } from './support';

/** The documented per-address budget: 200 failures an hour. */
const SPRAY = 200;
/** Tries sent over HTTPS at the end of the run (the rest are recorded beforehand). */
const OVER_HTTPS = 4;
const { portal } = withAuthPortal();

it('slows an address that sprays one password across many e-mails, and only that address', { timeout: 120_000 }, async () => {
  expect(SOURCE_FAILURE_LIMIT).toBe(SPRAY);
  const emails = (portal().db.prepare('SELECT email FROM employees ORDER BY id').all() as { email: string }[]).map((row) => row.email);
  expect(emails.length).toBeGreaterThan(100);
  // Each e-mail is tried at most twice: far below the per-e-mail limit of 100.
  const sprayed = Array.from({ length: SPRAY }, (_, index) => emails[index % emails.length]!);
  await recordPastFailures(portal(), '127.0.0.3', sprayed.slice(0, SPRAY - OVER_HTTPS));
  const answers = await inBatches(OVER_HTTPS, 2, (index) => loginFrom(portal(), '127.0.0.3', sprayed[SPRAY - OVER_HTTPS + index]!, 'Winter2026!'));
  expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: OVER_HTTPS }, () => 401));

  const next = await loginFrom(portal(), '127.0.0.3', emails[7]!, 'Winter2026!');
  expect(next.status).toBe(429);
  expect(next.headers['retry-after']).toBe('30');
  const nextRightPassword = await loginFrom(portal(), '127.0.0.3', ACCOUNTS.tech.email, ACCOUNTS.tech.password);
  expect(nextRightPassword.status).toBe(429);

  // Another address is untouched.
  expect((await loginFrom(portal(), '127.0.0.1', ACCOUNTS.tech.email, ACCOUNTS.tech.password)).status).toBe(200);
});
