import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E164_PATTERN, countryOfPhone, validatePhone } from '../../../common/phone';
import { verifyPassword } from '../../../server/auth/passwords';
import { openSecret } from '../../../server/auth/secret-box';
import { openDatabase, type Db } from '../../../server/db/connection';
import { PostgresStore } from '../../../server/db/postgres-store';
import { SqliteStore } from '../../../server/db/sqlite-store';
import { parseSeed } from '../../../server/server';
import { DEMO_ACCOUNTS, DEMO_TOTP_SECRET, GLOBEX_EMPLOYEES, planCompanies, seedDemo } from '../../../server/seed/demo';
import { describeEachBackend, freshPostgresDatabase } from '../../support/backends';

// The demo seed: deterministic, idempotent, valid numbers only, fast. Its generator is checked on SQLite;
// PostgreSQL's bulk load (unnest batches) must then give the very same rows (the last describe).
const NOW = new Date('2026-01-15T09:00:00Z');
const dataKey = Buffer.alloc(32, 7);
const directory = mkdtempSync(join(tmpdir(), 'portal-seed-'));
let counter = 0;
const openFresh = (): Db => openDatabase(join(directory, `seed-${counter++}.sqlite`));

interface Row {
  id: string;
  company_id: string;
  first_name: string;
  last_name: string;
  email: string;
  role: string;
  cell_phone: string | null;
  two_factor_status: string;
  two_factor_method: string | null;
  totp_secret: string | null;
  password_hash: string | null;
  locked: number;
  last_login_at: string | null;
  updated_at: string;
  version: number;
  search_text: string;
}
const rowsOf = (db: Db) => db.prepare('SELECT * FROM employees ORDER BY id').all() as Row[];
const withoutSecrets = (rows: Row[]) => rows.map(({ password_hash: _p, totp_secret: _t, ...rest }) => rest);

let db2000: Db;
let rows: Row[];
beforeAll(async () => {
  db2000 = openFresh();
  expect(await seedDemo(new SqliteStore(db2000), { employees: 2000, now: NOW, dataKey })).toEqual({ seeded: true, employees: 2000 + 1 + GLOBEX_EMPLOYEES });
  rows = rowsOf(db2000);
});
afterAll(() => {
  db2000?.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('demo:2000', () => {
  it('gives Acme exactly N employees and Globex its admin plus 20', () => {
    expect(rows.filter((row) => row.company_id === 'acme')).toHaveLength(2000);
    expect(rows.filter((row) => row.company_id === 'globex')).toHaveLength(1 + GLOBEX_EMPLOYEES);
    expect(db2000.prepare('SELECT id, name, country FROM companies ORDER BY id').all()).toEqual([
      { id: 'acme', name: 'Acme IT Services', country: 'US' },
      { id: 'globex', name: 'Globex Networks', country: 'GB' },
    ]);
    const acmeIds = rows.filter((row) => row.company_id === 'acme').map((row) => row.id);
    expect(acmeIds[0]).toBe('acme-0001');
    expect(acmeIds).toContain('acme-2000');
  });

  it('every number passes the phone rules (validatePhone(n, null)) and is already E.164; numbers are unique', () => {
    const numbers = rows.map((row) => row.cell_phone).filter((number): number is string => number !== null);
    expect(numbers.length).toBeGreaterThan(1700);
    for (const number of numbers) {
      const result = validatePhone(number, null);
      expect(result, number).toMatchObject({ ok: true, e164: number });
      expect(number).toMatch(E164_PATTERN);
    }
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('spreads employees over countries, roles and 2FA states, with landlines and people without a number', () => {
    const countries = new Set(rows.map((row) => (row.cell_phone ? countryOfPhone(row.cell_phone) : undefined)).filter(Boolean));
    for (const country of ['US', 'GB', 'DE', 'FR', 'IN', 'AU', 'CA', 'ES']) expect(countries).toContain(country);
    expect(new Set(rows.map((row) => row.role))).toEqual(new Set(['admin', 'business', 'tech', 'sales']));

    const landlines = rows.filter((row) => row.cell_phone && validatePhone(row.cell_phone, null).ok && (validatePhone(row.cell_phone, null) as { warning?: string }).warning === 'landline');
    expect(landlines.length).toBeGreaterThan(20);
    expect(landlines.every((row) => row.two_factor_method === 'voice')).toBe(true);
    // UK landlines come from Ofcom's drama ranges (020 7946 0xxx, 0113 496 0xxx, …).
    expect(landlines.filter((row) => row.cell_phone!.startsWith('+44')).every((row) => /^\+44(20794|1\d1496|1\d\d49[68])/.test(row.cell_phone!))).toBe(true);

    const withoutNumber = rows.filter((row) => row.cell_phone === null);
    expect(withoutNumber.length).toBeGreaterThan(50);
    expect(withoutNumber.every((row) => row.two_factor_status === 'not_enrolled' && row.two_factor_method === null)).toBe(true);
    expect(rows.filter((row) => row.two_factor_status === 'pending').length).toBeGreaterThan(50);
    expect(rows.filter((row) => row.two_factor_status === 'active').length).toBeGreaterThan(1000);
  });

  it('emails are unique (case-insensitively) and ASCII; search_text is "first last email digits" in lower case', () => {
    const emails = rows.map((row) => row.email.toLowerCase());
    expect(new Set(emails).size).toBe(emails.length);
    for (const row of rows) {
      expect(row.email).toMatch(/^[a-z0-9.]+@(acme|globex)\.test$/);
      const digits = row.cell_phone ? ` ${row.cell_phone.slice(1)}` : '';
      expect(row.search_text).toBe(`${row.first_name} ${row.last_name} ${row.email}${digits}`.toLowerCase());
    }
    expect(rows.some((row) => /[^\x20-\x7e]/.test(row.last_name))).toBe(true); // Müller, Côté, …
  });

  it('times are in the past of `now`, versions start at 1..4, and only the sign-in accounts have passwords', () => {
    for (const row of rows) {
      expect(Date.parse(row.updated_at)).toBeLessThanOrEqual(NOW.getTime());
      if (row.last_login_at) expect(Date.parse(row.last_login_at)).toBeLessThanOrEqual(NOW.getTime());
      expect(row.version).toBeGreaterThanOrEqual(1);
      expect(row.version).toBeLessThanOrEqual(4);
    }
    expect(rows.filter((row) => row.password_hash !== null).map((row) => row.email).sort()).toEqual(DEMO_ACCOUNTS.map((account) => account.email).sort());
    expect(rows.filter((row) => row.totp_secret !== null).map((row) => row.email)).toEqual(['totp@acme.test']);
  });

  it('creates the sign-in accounts as documented', () => {
    const byEmail = new Map(rows.map((row) => [row.email, row]));
    expect(byEmail.get('admin@acme.test')).toMatchObject({ id: 'acme-0001', company_id: 'acme', role: 'admin', cell_phone: '+12125550142', two_factor_status: 'active', two_factor_method: 'sms', locked: 0 });
    expect(byEmail.get('tech@acme.test')).toMatchObject({ company_id: 'acme', role: 'tech', cell_phone: '+12125550143', two_factor_status: 'active', two_factor_method: 'sms' });
    expect(byEmail.get('totp@acme.test')).toMatchObject({ company_id: 'acme', role: 'admin', cell_phone: '+12125550144', two_factor_status: 'active', two_factor_method: 'totp' });
    expect(byEmail.get('locked@acme.test')).toMatchObject({ company_id: 'acme', role: 'sales', locked: 1 });
    expect(byEmail.get('admin@globex.test')).toMatchObject({ company_id: 'globex', role: 'admin', cell_phone: '+447400123456', two_factor_method: 'sms' });
    for (const account of DEMO_ACCOUNTS) expect(validatePhone(account.cellPhone, null).ok).toBe(true);

    const admin = byEmail.get('admin@acme.test')!;
    expect(admin.password_hash).toMatch(/^scrypt\$/);
    expect(verifyPassword('acme-admin-demo', admin.password_hash!)).toBe(true);
    expect(verifyPassword('wrong', admin.password_hash!)).toBe(false);
    // The TOTP secret is encrypted at rest with the data key.
    const totp = byEmail.get('totp@acme.test')!;
    expect(totp.totp_secret).not.toContain(DEMO_TOTP_SECRET);
    expect(openSecret(dataKey, totp.totp_secret!)).toBe(DEMO_TOTP_SECRET);
  });
});

describe('determinism and idempotence', () => {
  it('the same N and now give the same employees (salts and IVs aside); a smaller N is a prefix', async () => {
    const again = openFresh();
    const small = openFresh();
    try {
      await seedDemo(new SqliteStore(again), { employees: 2000, now: NOW, dataKey });
      expect(withoutSecrets(rowsOf(again))).toEqual(withoutSecrets(rows));
      await seedDemo(new SqliteStore(small), { employees: 250, now: NOW, dataKey });
      const smallRows = withoutSecrets(rowsOf(small));
      const big = new Map(withoutSecrets(rows).map((row) => [row.id, row]));
      expect(smallRows.filter((row) => row.company_id === 'acme')).toHaveLength(250);
      for (const row of smallRows) expect(row).toEqual(big.get(row.id));
    } finally {
      again.close();
      small.close();
    }
  });

  it('seeding a database that already has companies does nothing', async () => {
    expect(await seedDemo(new SqliteStore(db2000), { employees: 500, now: new Date('2030-01-01T00:00:00Z'), dataKey })).toEqual({ seeded: false, employees: 0 });
    expect(rowsOf(db2000)).toEqual(rows);
  });

  it('demo:1 gives Acme only its admin', async () => {
    const db = openFresh();
    try {
      await seedDemo(new SqliteStore(db), { employees: 1, now: NOW, dataKey });
      expect(db.prepare("SELECT email FROM employees WHERE company_id = 'acme'").pluck().all()).toEqual(['admin@acme.test']);
      expect(db.prepare("SELECT count(*) FROM employees WHERE company_id = 'globex'").pluck().get()).toBe(1 + GLOBEX_EMPLOYEES);
    } finally {
      db.close();
    }
  });

  it('refuses counts outside 1..100,000 (the CLI parses demo:N the same way)', async () => {
    const db = openFresh();
    try {
      for (const employees of [0, -1, 100_001, 2.5, Number.NaN]) {
        await expect(seedDemo(new SqliteStore(db), { employees, now: NOW, dataKey }), String(employees)).rejects.toThrow();
      }
      expect((db.prepare('SELECT count(*) AS n FROM companies').get() as { n: number }).n).toBe(0);
    } finally {
      db.close();
    }
    expect(parseSeed('demo')).toBe(250);
    expect(parseSeed('demo:1')).toBe(1);
    expect(parseSeed('demo:100000')).toBe(100_000);
  });
});

describe('demo:N --companies M', () => {
  it('spreads N employees over M companies: Acme as large as it may be, the others evenly', async () => {
    const db = openFresh();
    try {
      const result = await seedDemo(new SqliteStore(db), { employees: 1_000, companies: 6, now: NOW, dataKey });
      expect(result).toEqual({ seeded: true, employees: 1_000 });
      const sizes = db.prepare('SELECT c.id, count(e.id) AS n FROM companies c LEFT JOIN employees e ON e.company_id = c.id GROUP BY c.id ORDER BY c.id').all();
      const globex = DEMO_ACCOUNTS.filter((account) => account.companyId === 'globex').length + GLOBEX_EMPLOYEES;
      expect(sizes).toEqual([
        { id: 'acme', n: 1_000 - globex - 4 },
        { id: 'company-0003', n: 1 },
        { id: 'company-0004', n: 1 },
        { id: 'company-0005', n: 1 },
        { id: 'company-0006', n: 1 },
        { id: 'globex', n: globex },
      ]);
      const emails = db.prepare('SELECT count(DISTINCT email) AS n FROM employees').get() as { n: number };
      expect(emails.n).toBe(1_000);
    } finally {
      db.close();
    }
  });

  it('gives a 100,000-employee Acme and even others at the largest size, and refuses sizes out of range', () => {
    const plan = planCompanies(1_000_000, 1_000);
    expect(plan.acme).toBe(100_000);
    expect(plan.others).toHaveLength(998);
    expect(Math.max(...plan.others) - Math.min(...plan.others)).toBeLessThanOrEqual(1);
    expect(100_000 + plan.others.reduce((sum, size) => sum + size, 0)).toBe(1_000_000 - GLOBEX_EMPLOYEES - 1);
    expect(() => planCompanies(1_000_001, 1_000)).toThrow(/1000000/);
    expect(() => planCompanies(1_000, 1_001)).toThrow(/1000 companies/);
    expect(() => planCompanies(200_000, 2)).toThrow(/100000/);
    expect(parseSeed('demo:1000000', 1_000)).toBe(1_000_000);
    expect(() => parseSeed('demo:1000000')).toThrow(/--companies/);
  });
});

// demo:100000 (speed, and every one of its numbers valid) is measured and checked by bench/portal.bench.ts.

describeEachBackend('the seed on PostgreSQL', () => {
  it('gives the same employees as on SQLite, several companies included, and a second run adds nothing', async () => {
    const options = { employees: 700, companies: 4, now: NOW, dataKey };
    const postgres = await PostgresStore.open(await freshPostgresDatabase());
    const sqlite = openFresh();
    try {
      const seeded = await seedDemo(postgres, options);
      expect(seeded).toEqual(await seedDemo(new SqliteStore(sqlite), options));
      const postgresRows = await postgres.all<Row>('SELECT * FROM employees ORDER BY id');
      expect(withoutSecrets(postgresRows)).toEqual(withoutSecrets(rowsOf(sqlite)));
      expect(await postgres.all('SELECT id, name, country FROM companies ORDER BY id')).toEqual(sqlite.prepare('SELECT id, name, country FROM companies ORDER BY id').all());
      expect(await seedDemo(postgres, options)).toEqual({ seeded: false, employees: 0 });
      expect((await postgres.get<{ n: number }>('SELECT count(*) AS n FROM employees'))!.n).toBe(postgresRows.length);
    } finally {
      await postgres.close();
      sqlite.close();
    }
  });
}, ['postgres']);
