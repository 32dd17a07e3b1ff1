import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../server/db/connection';
import { SqliteStore } from '../../../../server/db/sqlite-store';
import {
  accountKey,
  delayAfterFailures,
  guesserRetryAfter,
  pruneFailures,
  recordFailure,
  SOURCE_FAILURE_LIMIT,
  withdrawFailure,
} from '../../../../server/auth/rate-limit';

describe('delayAfterFailures', () => {
  it('is free below 100 failures, then 30 s doubling per failure, capped at an hour', () => {
    expect(delayAfterFailures(0)).toBe(0);
    expect(delayAfterFailures(99)).toBe(0);
    expect([100, 101, 102, 103, 104, 105, 106, 107].map((n) => delayAfterFailures(n))).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600]);
    expect(delayAfterFailures(10_000)).toBe(3600);
  });
});

describe('accountKey', () => {
  it('is the e-mail as typed, trimmed and lower-cased', () => {
    expect(accountKey('  Admin@ACME.test ')).toBe('admin@acme.test');
  });
});

describe('guesserRetryAfter', () => {
  let raw: Db;
  let db: SqliteStore;
  const now = new Date('2026-01-15T09:00:00Z');
  const here = { account: 'e@c.test', source: '127.0.0.2' };
  beforeEach(() => {
    raw = openDatabase(':memory:');
    db = new SqliteStore(raw);
  });
  afterEach(() => db.close());

  const fail = async (n: number, at: Date, guesser = here) => {
    for (let index = 0; index < n; index++) await recordFailure(db, guesser, 'password', at);
  };

  it('counts one e-mail from one source over the last hour only', async () => {
    await fail(100, new Date(now.getTime() - 60 * 60_000));
    expect(await guesserRetryAfter(db, here, now)).toBeNull();
    await fail(99, now);
    expect(await guesserRetryAfter(db, here, now)).toBeNull();
    await fail(1, now);
    expect(await guesserRetryAfter(db, here, now)).toBe(30);
    expect(await guesserRetryAfter(db, here, new Date(now.getTime() + 29_001))).toBe(1);
    expect(await guesserRetryAfter(db, here, new Date(now.getTime() + 30_000))).toBeNull();
    // The same e-mail from another address, and another e-mail from this one, are not slowed.
    expect(await guesserRetryAfter(db, { ...here, source: '127.0.0.1' }, now)).toBeNull();
    expect(await guesserRetryAfter(db, { ...here, account: 'f@c.test' }, now)).toBeNull();
  });

  it('slows a source that fails across many e-mails', async () => {
    for (let index = 0; index < SOURCE_FAILURE_LIMIT; index++) await recordFailure(db, { account: `user${index}@c.test`, source: here.source }, 'password', now);
    expect(await guesserRetryAfter(db, { account: 'new@c.test', source: here.source }, now)).toBe(30);
    expect(await guesserRetryAfter(db, { account: 'new@c.test', source: '127.0.0.1' }, now)).toBeNull();
  });

  it('withdraws a provisional failure and prunes failures older than an hour', async () => {
    await fail(99, now);
    const provisional = await recordFailure(db, here, 'password', now);
    expect(await guesserRetryAfter(db, here, now)).toBe(30);
    await withdrawFailure(db, provisional);
    expect(await guesserRetryAfter(db, here, now)).toBeNull();
    await pruneFailures(db, new Date(now.getTime() + 60 * 60_000));
    expect(raw.prepare('SELECT count(*) AS n FROM sign_in_failures').get()).toEqual({ n: 0 });
  });
});
