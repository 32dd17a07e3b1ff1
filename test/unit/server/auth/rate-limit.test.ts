import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../server/db/connection';
import {
  accountRetryAfter,
  delayAfterFailures,
  pruneFailures,
  recordFailure,
  withdrawFailure,
} from '../../../../server/auth/rate-limit';

describe('delayAfterFailures', () => {
  it('is free below 100 failures, then 30 s doubling per failure, capped at an hour', () => {
    expect(delayAfterFailures(0)).toBe(0);
    expect(delayAfterFailures(99)).toBe(0);
    expect([100, 101, 102, 103, 104, 105, 106, 107].map(delayAfterFailures)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600]);
    expect(delayAfterFailures(10_000)).toBe(3600);
  });
});

describe('accountRetryAfter', () => {
  let db: Db;
  const now = new Date('2026-01-15T09:00:00Z');
  beforeEach(() => {
    db = openDatabase(':memory:');
    db.prepare("INSERT INTO companies (id, name, country) VALUES ('c', 'C', 'US')").run();
    db.prepare(
      `INSERT INTO employees (id, company_id, first_name, last_name, email, role, two_factor_status, updated_at, search_text)
       VALUES ('e', 'c', 'E', 'E', 'e@c.test', 'tech', 'active', '', '')`,
    ).run();
  });
  afterEach(() => db.close());

  const fail = (n: number, at: Date) => {
    for (let index = 0; index < n; index++) recordFailure(db, 'e', at);
  };

  it('counts only the last hour', () => {
    fail(100, new Date(now.getTime() - 60 * 60_000));
    expect(accountRetryAfter(db, 'e', now)).toBeNull();
    fail(99, now);
    expect(accountRetryAfter(db, 'e', now)).toBeNull();
    fail(1, now);
    expect(accountRetryAfter(db, 'e', now)).toBe(30);
    expect(accountRetryAfter(db, 'e', new Date(now.getTime() + 29_001))).toBe(1);
    expect(accountRetryAfter(db, 'e', new Date(now.getTime() + 30_000))).toBeNull();
  });

  it('withdraws a provisional failure and prunes failures older than an hour', () => {
    fail(99, now);
    const provisional = recordFailure(db, 'e', now);
    expect(accountRetryAfter(db, 'e', now)).toBe(30);
    withdrawFailure(db, provisional);
    expect(accountRetryAfter(db, 'e', now)).toBeNull();
    pruneFailures(db, new Date(now.getTime() + 60 * 60_000));
    expect(db.prepare('SELECT count(*) AS n FROM auth_failures').get()).toEqual({ n: 0 });
  });
});
