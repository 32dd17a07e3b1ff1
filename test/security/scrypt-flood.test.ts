/**
 * Attack: a flood of sign-ins, each costing a password hash (scrypt, ~32 MiB and tens of ms of a
 * core), to exhaust the portal's CPU and memory. Hashing is bounded: beyond a few running and a
 * few waiting, a sign-in is refused at once with 503 and Retry-After, before any hashing.
 */
import { expect, it } from 'vitest';
import {} from '../integration/server/auth-helpers';
import { loginFrom, withAuthPortal } from './support';

const { portal } = withAuthPortal();

it('answers a burst of 60 sign-ins with 503 + Retry-After for what it cannot hash now, and 401 for the rest', { timeout: 300_000 }, async () => {
  // Distinct addresses and e-mails, so no guessing limit is what answers.
  const answers = await Promise.all(
    Array.from({ length: 60 }, (_, index) => loginFrom(portal(), `127.0.1.${index + 1}`, `flood-${index}@example.test`, 'guess')),
  );
  const busy = answers.filter((answer) => answer.status === 503);
  expect(busy.length).toBeGreaterThan(0);
  const slots = portal().app.hashingSlots;
  expect(answers.length - busy.length).toBeGreaterThanOrEqual(slots.running);
  for (const answer of busy) {
    expect(answer.headers['retry-after']).toBe('1');
    expect(answer.body).toMatchObject({ code: 'server_busy', retryAfter: 1 });
  }
  expect(answers.every((answer) => answer.status === 503 || answer.status === 401)).toBe(true);
  // A refused attempt is not a guess: only the hashed ones were counted.
  const counted = (portal().db.prepare("SELECT count(*) AS n FROM sign_in_failures WHERE source LIKE '127.0.1.%'").get() as { n: number }).n;
  expect(counted).toBe(answers.length - busy.length);
});
