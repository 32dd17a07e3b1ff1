/**
 * Attack: telling which e-mails have an account from how the portal treats guesses at them. Before,
 * an unknown e-mail skipped the failure write and was never throttled (it kept answering 401 where a
 * real account answered 429). Now both cost the same hash, the same writes and the same answers.
 */
import { expect, it } from 'vitest';
import { ACCOUNTS } from '../integration/server/auth-helpers';
import { FAILURE_LIMIT } from '../../server/auth/rate-limit';
import { inBatches, loginFrom, recordPastFailures, withAuthPortal } from './support';

const { portal } = withAuthPortal();

/** Rows written by the portal()'s connection (every INSERT, UPDATE and DELETE it has run). */
const changes = () => (portal().db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;

it('gives an unknown e-mail the same writes and the same answers, 429 included, as a known one', { timeout: 120_000 }, async () => {
  const known = ACCOUNTS.tech.email;
  const unknown = 'nobody-here@acme.test';

  let before = changes();
  expect((await loginFrom(portal(), '127.0.0.4', known, 'wrong')).status).toBe(401);
  const knownWrites = changes() - before;
  before = changes();
  expect((await loginFrom(portal(), '127.0.0.5', unknown, 'wrong')).status).toBe(401);
  const unknownWrites = changes() - before;
  expect(knownWrites).toBeGreaterThan(0);
  expect(unknownWrites).toBe(knownWrites);

  // Up to the limit each, from two addresses (most written as the portal writes them, the last few over
  // HTTPS), then one more: the same answer for both.
  const overHttps = 4;
  const earlier = (email: string) => Array.from({ length: FAILURE_LIMIT - 1 - overHttps }, () => email);
  await recordPastFailures(portal(), '127.0.0.4', earlier(known));
  await recordPastFailures(portal(), '127.0.0.5', earlier(unknown));
  await inBatches(overHttps, 4, (index) => loginFrom(portal(), '127.0.0.4', known, `wrong-${index}`));
  await inBatches(overHttps, 4, (index) => loginFrom(portal(), '127.0.0.5', unknown, `wrong-${index}`));
  const knownAnswer = await loginFrom(portal(), '127.0.0.4', known, 'wrong-again');
  const unknownAnswer = await loginFrom(portal(), '127.0.0.5', unknown, 'wrong-again');
  expect(knownAnswer.status).toBe(429);
  expect(unknownAnswer.status).toBe(knownAnswer.status);
  expect(unknownAnswer.headers['retry-after']).toBe(knownAnswer.headers['retry-after']);
  expect(unknownAnswer.body).toEqual(knownAnswer.body);
});
