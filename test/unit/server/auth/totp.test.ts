import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../server/db/connection';
import { SqliteStore } from '../../../../server/db/sqlite-store';
import { sealSecret } from '../../../../server/auth/secret-box';
import { consumeTotp, matchTotpStep, totpStep } from '../../../../server/auth/totp';

// RFC 6238 Appendix B, SHA-1 seed "12345678901234567890"; the codes are the last 6 of the 8 digits.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const vectors = [
  { time: 59, code: '287082' },
  { time: 1111111109, code: '081804' },
  { time: 1111111111, code: '050471' },
  { time: 1234567890, code: '005924' },
  { time: 2000000000, code: '279037' },
];

describe('matchTotpStep', () => {
  it.each(vectors)('accepts the RFC 6238 code at T=$time', ({ time, code }) => {
    const at = new Date(time * 1000);
    expect(matchTotpStep(RFC_SECRET, code, at)).toBe(totpStep(at));
  });

  it('accepts one step either side and names the step the code belongs to', () => {
    const at = new Date(1111111109 * 1000);
    expect(matchTotpStep(RFC_SECRET, '081804', new Date(at.getTime() + 30_000))).toBe(totpStep(at));
    expect(matchTotpStep(RFC_SECRET, '081804', new Date(at.getTime() - 30_000))).toBe(totpStep(at));
    expect(matchTotpStep(RFC_SECRET, '081804', new Date(at.getTime() + 60_000))).toBeNull();
    expect(matchTotpStep(RFC_SECRET, '000000', at)).toBeNull();
  });
});

describe('consumeTotp', () => {
  let db: Db;
  const key = randomBytes(32);
  beforeEach(() => {
    db = openDatabase(':memory:');
    db.prepare("INSERT INTO companies (id, name, country) VALUES ('c', 'C', 'US')").run();
    db.prepare(
      `INSERT INTO employees (id, company_id, first_name, last_name, email, role, two_factor_status, updated_at, search_text)
       VALUES ('e', 'c', 'E', 'E', 'e@c.test', 'tech', 'active', '', '')`,
    ).run();
  });
  afterEach(() => db.close());

  it('accepts each step once, and no step older than the newest accepted', async () => {
    const sealed = sealSecret(key, RFC_SECRET);
    const at = new Date(1111111109 * 1000);
    expect(await consumeTotp(new SqliteStore(db), key, 'e', sealed, '081804', at)).toBe(true);
    expect(await consumeTotp(new SqliteStore(db), key, 'e', sealed, '081804', at)).toBe(false);
    const next = new Date(1111111111 * 1000); // the next step: '050471'
    expect(await consumeTotp(new SqliteStore(db), key, 'e', sealed, '050471', next)).toBe(true);
    expect(await consumeTotp(new SqliteStore(db), key, 'e', sealed, '081804', next)).toBe(false);
  });

  it('refuses to work with a secret sealed under another key', async () => {
    const sealed = sealSecret(randomBytes(32), RFC_SECRET);
    await expect(consumeTotp(new SqliteStore(db), key, 'e', sealed, '081804', new Date(1111111109 * 1000))).rejects.toThrow();
  });
});
