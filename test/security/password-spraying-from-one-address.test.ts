/**
 * Attack: password spraying — one address tries a common password against many e-mails, never
 * often enough against any one of them to be slowed down. The source address has its own budget
 * (200 failures an hour); beyond it everything from that address waits, and other addresses do not.
 */
import { expect, it } from 'vitest';
import { SOURCE_FAILURE_LIMIT } from '../../server/auth/rate-limit';
import { ACCOUNTS } from '../integration/server/auth-helpers';
import { inBatches, loginFrom, withAuthPortal } from './support';

/** The documented per-address budget: 200 failures an hour. */
const SPRAY = 200;
const { portal } = withAuthPortal();

it('slows an address that sprays one password across many e-mails, and only that address', { timeout: 300_000 }, async () => {
  const emails = (portal().db.prepare('SELECT email FROM employees ORDER BY id').all() as { email: string }[]).map((row) => row.email);
  expect(emails.length).toBeGreaterThan(100);
  // Each e-mail is tried at most twice: far below the per-e-mail limit of 100.
  const answers = await inBatches(SPRAY, 4, (index) => loginFrom(portal(), '127.0.0.3', emails[index % emails.length]!, 'Winter2026!'));
  expect(answers.every((answer) => answer.status === 401)).toBe(true);

  const next = await loginFrom(portal(), '127.0.0.3', emails[7]!, 'Winter2026!');
  expect(next.status).toBe(429);
  expect(next.headers['retry-after']).toBe('30');
  const nextRightPassword = await loginFrom(portal(), '127.0.0.3', ACCOUNTS.tech.email, ACCOUNTS.tech.password);
  expect(nextRightPassword.status).toBe(429);

  expect(SOURCE_FAILURE_LIMIT).toBe(SPRAY);
  // Another address is untouched.
  expect((await loginFrom(portal(), '127.0.0.1', ACCOUNTS.tech.email, ACCOUNTS.tech.password)).status).toBe(200);
});
