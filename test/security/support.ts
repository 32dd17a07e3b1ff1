import { expect } from 'vitest';
import { ManualClock } from '../../server/clock';
import { accountKey, recordFailure } from '../../server/auth/rate-limit';
import { useBackendPortal } from '../support/backend-portal';
import { portalRequest, type HttpsResponse, type TestPortal } from '../support/portal';
import { ACCOUNTS, ensureAccounts, lastCodeSentTo, type AccountName, type ChallengeBody, type TokenBody } from '../integration/server/auth-helpers';

/**
 * Sign-in calls from a chosen loopback address: the whole 127.0.0.0/8 block is loopback, so
 * 127.0.0.2, 127.0.0.3 … play distinct source addresses (the admin is always 127.0.0.1).
 */
export function loginFrom(portal: TestPortal, from: string, email: string, password: string): Promise<HttpsResponse> {
  return portalRequest(portal, 'POST', '/api/v1/auth/login', { body: { email, password }, from });
}

export function sendFrom(portal: TestPortal, from: string, challengeId: string, method: 'sms' | 'voice' = 'sms'): Promise<HttpsResponse> {
  return portalRequest(portal, 'POST', `/api/v1/auth/challenges/${challengeId}/send`, { body: { method }, from });
}

export function verifyFrom(portal: TestPortal, from: string, challengeId: string, code: string): Promise<HttpsResponse> {
  return portalRequest(portal, 'POST', `/api/v1/auth/challenges/${challengeId}/verify`, { body: { code }, from });
}

/** Password, send, the code the demo carrier delivered, verify: a whole sign-in from one address. */
export async function signInFrom(portal: TestPortal, from: string, name: AccountName = 'admin'): Promise<TokenBody> {
  const account = ACCOUNTS[name];
  const login = await loginFrom(portal, from, account.email, account.password);
  expect(login.status, login.text).toBe(200);
  const { challengeId } = login.body as ChallengeBody;
  const sent = await sendFrom(portal, from, challengeId);
  expect(sent.status, sent.text).toBe(200);
  const verified = await verifyFrom(portal, from, challengeId, lastCodeSentTo(portal, account.phone));
  expect(verified.status, verified.text).toBe(200);
  return verified.body as TokenBody;
}

/** Runs `count` calls `parallel` at a time (two cores: a few in flight keep scrypt's threads busy). */
export async function inBatches<T>(count: number, parallel: number, call: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - start) }, (_, offset) => call(start + offset));
    results.push(...(await Promise.all(batch)));
  }
  return results;
}

/** A demo portal (real HTTPS, real SQLite) with a clock the test moves, for the file's tests. */
export function withAuthPortal(): { clock: ManualClock; portal: () => TestPortal } {
  const clock = new ManualClock('2026-01-15T09:00:00Z');
  const env = useBackendPortal('sqlite', { clock, check: ensureAccounts });
  return { clock, portal: () => env.portal };
}

/**
 * The wrong passwords an attacker sent before, written as the portal writes them (its own
 * `recordFailure`, at the portal's current time), so a test sends only the last few over HTTPS.
 */
export async function recordPastFailures(portal: TestPortal, source: string, emails: string[]): Promise<void> {
  const now = portal.app.clock.now();
  for (const email of emails) await recordFailure(portal.store, { account: accountKey(email), source }, 'password', now);
}
