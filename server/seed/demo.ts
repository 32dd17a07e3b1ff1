import type { Role } from '../../common/api';
import type { Queryable, Store } from '../db/store';
import { hashPassword } from '../auth/passwords';
import { sealSecret } from '../auth/secret-box';
import { searchTextOf } from '../employees/serialize';
import { Prng, weights, type WeightTable } from './prng';
import { NAMES, emailPart } from './names';
import { DemoPhoneBook, hasLandlines, type PhoneKind } from './phones';
import { insertEmployeeRows, ROWS_PER_STATEMENT, withEmployeeIndexesDeferred } from './bulk-load';

/**
 * Demo data for `npm run portal -- --seed demo|demo:N`: deterministic (a seeded PRNG and `now`;
 * only password salts and the TOTP secret's IV are random) and idempotent (nothing happens when
 * the database already holds companies).
 */
export interface SeedOptions {
  /**
   * With the two demo companies: how many employees Acme has in total, sign-in accounts included
   * (default 250, up to 100,000). With `companies` above 2: the employees of all companies together
   * (up to 1,000,000); Acme gets as many as it may (up to 100,000), the others share the rest evenly.
   */
  employees: number;
  /** How many companies (default 2: Acme and Globex; up to 1,000). */
  companies?: number;
  now: Date;
  /** Encrypts the TOTP demo account's secret at rest. */
  dataKey: Buffer;
}

export interface SeedResult {
  seeded: boolean;
  employees: number;
}

/** The RFC 6238 test secret of totp@acme.test (an authenticator app can add it by hand). */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export const DEMO_COMPANIES = [
  { id: 'acme', name: 'Acme IT Services', country: 'US' },
  { id: 'globex', name: 'Globex Networks', country: 'GB' },
] as const;

export interface DemoAccount {
  id: string;
  companyId: 'acme' | 'globex';
  firstName: string;
  lastName: string;
  email: string;
  password: string;
  role: Role;
  cellPhone: string;
  method: 'sms' | 'totp';
  locked: boolean;
}

/** The people who can sign in to the demo portal (README lists them too). */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { id: 'acme-0001', companyId: 'acme', firstName: 'Alex', lastName: 'Morgan', email: 'admin@acme.test', password: 'acme-admin-demo',
    role: 'admin', cellPhone: '+12125550142', method: 'sms', locked: false },
  { id: 'acme-0002', companyId: 'acme', firstName: 'Sam', lastName: 'Rivera', email: 'tech@acme.test', password: 'acme-tech-demo',
    role: 'tech', cellPhone: '+12125550143', method: 'sms', locked: false },
  { id: 'acme-0003', companyId: 'acme', firstName: 'Jordan', lastName: 'Okafor', email: 'totp@acme.test', password: 'acme-totp-demo',
    role: 'admin', cellPhone: '+12125550144', method: 'totp', locked: false },
  { id: 'acme-0004', companyId: 'acme', firstName: 'Casey', lastName: 'Lindqvist', email: 'locked@acme.test', password: 'acme-locked-demo',
    role: 'sales', cellPhone: '+12125550145', method: 'sms', locked: true },
  { id: 'globex-0001', companyId: 'globex', firstName: 'Priya', lastName: 'Shah', email: 'admin@globex.test', password: 'globex-admin-demo',
    role: 'admin', cellPhone: '+447400123456', method: 'sms', locked: false },
];

export const DEFAULT_DEMO_EMPLOYEES = 250;
export const MAX_DEMO_EMPLOYEES = 100_000;
/** All employees together, with `companies` above 2. */
export const MAX_DEMO_TOTAL = 1_000_000;
export const MAX_DEMO_COMPANIES = 1_000;
/** Globex's generated employees, besides its admin. */
export const GLOBEX_EMPLOYEES = 20;

const ACME_COUNTRIES = weights({ US: 40, GB: 12, CA: 6, IE: 3, DE: 9, FR: 7, ES: 4, NL: 4, IN: 9, AU: 4, BR: 2 });
const GLOBEX_COUNTRIES = weights({ GB: 14, IE: 2, FR: 2, DE: 2 });
const ROLES = weights<Role>({ admin: 3, business: 27, tech: 42, sales: 28 });
const DAY_MS = 24 * 60 * 60 * 1000;

interface Insertable {
  id: string;
  companyId: string;
  firstName: string;
  lastName: string;
  email: string;
  role: Role;
  cellPhone: string | null;
  status: 'active' | 'not_enrolled' | 'pending';
  method: 'sms' | 'voice' | 'totp' | null;
  totpSecret: string | null;
  passwordHash: string | null;
  locked: boolean;
  lastLoginAt: string | null;
  updatedAt: string;
  version: number;
}

/** Employee ids: `acme-0001` … `acme-9999`, then `acme-10000` …. */
export function demoEmployeeId(companyId: string, index: number): string {
  return `${companyId}-${String(index).padStart(4, '0')}`;
}

/** A point in the past, whole seconds, `days` at most before `now`. */
function before(now: Date, rng: Prng, days: number): string {
  const at = now.getTime() - Math.floor(rng.next() * days * DAY_MS);
  return new Date(at - (at % 1000)).toISOString();
}

class Generator {
  private readonly rng: Prng;
  private readonly emailCounts = new Map<string, number>();

  constructor(
    seed: number,
    private readonly companyId: string,
    private readonly domain: string,
    private readonly countries: WeightTable<string>,
    private readonly phones: DemoPhoneBook,
    private readonly now: Date,
  ) {
    this.rng = new Prng(seed);
  }

  employee(index: number): Insertable {
    const rng = this.rng;
    const country = rng.weighted(this.countries);
    const names = NAMES[country] ?? NAMES.US!;
    const firstName = rng.pick(names.first);
    const lastName = rng.pick(names.last);
    // Local parts never end in a digit, so `base` + a counter cannot collide with another base.
    const base = `${emailPart(firstName)}.${emailPart(lastName)}`;
    const seen = (this.emailCounts.get(base) ?? 0) + 1;
    this.emailCounts.set(base, seen);
    const email = `${seen === 1 ? base : `${base}${seen}`}@${this.domain}`;
    const role = rng.weighted(ROLES);

    const phoneRoll = rng.next();
    const kind: PhoneKind | null = phoneRoll < 0.08 ? null : phoneRoll < 0.14 && hasLandlines(country) ? 'landline' : 'mobile';
    const cellPhone = kind ? this.phones.next(country, kind, rng) : null;

    let status: Insertable['status'] = 'not_enrolled';
    let method: Insertable['method'] = null;
    const twoFactorRoll = rng.next();
    if (kind === 'landline') {
      status = twoFactorRoll < 0.8 ? 'active' : 'pending';
      method = 'voice';
    } else if (kind === 'mobile') {
      if (twoFactorRoll < 0.7) [status, method] = ['active', 'sms'];
      else if (twoFactorRoll < 0.75) [status, method] = ['active', 'voice'];
      else if (twoFactorRoll < 0.85) [status, method] = ['pending', 'sms'];
    }
    const lastLoginAt = status === 'active' ? before(this.now, rng, 60) : null;
    return {
      id: demoEmployeeId(this.companyId, index),
      companyId: this.companyId,
      firstName,
      lastName,
      email,
      role,
      cellPhone,
      status,
      method,
      totpSecret: null,
      passwordHash: null,
      locked: false,
      lastLoginAt,
      updatedAt: before(this.now, rng, 400),
      version: 1 + rng.int(4),
    };
  }
}

/** Seeds the demo companies, sign-in accounts and generated employees in one transaction. */
export async function seedDemo(db: Store, options: SeedOptions): Promise<SeedResult> {
  const companyCount = options.companies ?? DEMO_COMPANIES.length;
  const plan = planCompanies(options.employees, companyCount);
  const count = plan.acme;
  const existing = (await db.get<{ n: number }>('SELECT count(*) AS n FROM companies'))!;
  if (existing.n > 0) return { seeded: false, employees: 0 };

  const now = options.now;
  // Acme has `count` employees in total: with fewer than its four accounts, the first `count` of them.
  // Hash outside the transaction: scrypt is the slow part, and the write lock need not wait for it.
  const acmeAccountsWanted = DEMO_ACCOUNTS.filter((account) => account.companyId === 'acme').slice(0, count);
  const chosen = DEMO_ACCOUNTS.filter((account) => account.companyId !== 'acme' || acmeAccountsWanted.includes(account));
  const accounts: Insertable[] = chosen.map((account) => ({
    id: account.id,
    companyId: account.companyId,
    firstName: account.firstName,
    lastName: account.lastName,
    email: account.email,
    role: account.role,
    cellPhone: account.cellPhone,
    status: 'active',
    method: account.method,
    totpSecret: account.method === 'totp' ? sealSecret(options.dataKey, DEMO_TOTP_SECRET) : null,
    passwordHash: hashPassword(account.password),
    locked: account.locked,
    lastLoginAt: new Date(now.getTime() - DAY_MS).toISOString(),
    updatedAt: new Date(now.getTime() - 30 * DAY_MS).toISOString(),
    version: 1,
  }));

  // Batches of rows, one statement each (server/seed/bulk-load.ts).
  const pending: unknown[][] = [];
  const flush = async (tx: Queryable) => {
    if (pending.length > 0) await insertEmployeeRows(tx, pending.splice(0));
  };
  const insert = async (tx: Queryable, e: Insertable) => {
    pending.push([e.id, e.companyId, e.firstName, e.lastName, e.email, e.role, e.cellPhone, e.status, e.method,
      e.totpSecret, e.passwordHash, e.locked ? 1 : 0, e.lastLoginAt, e.updatedAt, e.version, searchTextOf(e)]);
    if (pending.length >= ROWS_PER_STATEMENT[tx.dialect]) await flush(tx);
  };

  const phones = new DemoPhoneBook(new Set(DEMO_ACCOUNTS.map((account) => account.cellPhone)));
  const acme = new Generator(0xac3e, 'acme', 'acme.test', ACME_COUNTRIES, phones, now);
  const globex = new Generator(0x61083, 'globex', 'globex.test', GLOBEX_COUNTRIES, phones, now);
  const acmeAccounts = accounts.filter((account) => account.companyId === 'acme').length;
  const globexAccounts = accounts.length - acmeAccounts;

  const seeded = await db.transaction(async (tx): Promise<boolean> => {
    // Checked again under the lock: two processes seeding one new database at once seed it once.
    await tx.lock('portal-seed');
    if ((await tx.get<{ n: number }>('SELECT count(*) AS n FROM companies'))!.n > 0) return false;
    for (const company of DEMO_COMPANIES) await tx.run('INSERT INTO companies (id, name, country) VALUES (?, ?, ?)', company.id, company.name, company.country);
    await withEmployeeIndexesDeferred(tx, () => insertAll(tx));
    return true;
  });
  if (!seeded) return { seeded: false, employees: 0 };
  return { seeded: true, employees: count + globexAccounts + GLOBEX_EMPLOYEES + plan.others.reduce((sum, size) => sum + size, 0) };

  async function insertAll(tx: Queryable): Promise<void> {
    for (const account of accounts) await insert(tx, account);
    // Globex first: its employees (and the numbers they take from the shared phone book) are then
    // the same whatever N Acme gets, and Acme's first k employees are the same for every N ≥ k.
    for (let index = globexAccounts + 1; index <= globexAccounts + GLOBEX_EMPLOYEES; index++) await insert(tx, globex.employee(index));
    for (let index = acmeAccounts + 1; index <= count; index++) await insert(tx, acme.employee(index));
    for (const [offset, size] of plan.others.entries()) {
      const company = generatedCompany(offset + DEMO_COMPANIES.length + 1);
      await tx.run('INSERT INTO companies (id, name, country) VALUES (?, ?, ?)', company.id, company.name, company.country);
      const generator = new Generator(0xc0000 + offset, company.id, `${company.id}.test`, ACME_COUNTRIES, phones, now);
      for (let index = 1; index <= size; index++) await insert(tx, generator.employee(index));
    }
    await flush(tx);
  }
}

/** The third and later demo companies: `company-0003` "Demo Company 3" …. */
function generatedCompany(number: number): { id: string; name: string; country: string } {
  return { id: `company-${String(number).padStart(4, '0')}`, name: `Demo Company ${number}`, country: 'US' };
}

/**
 * How many employees each company gets. With the two demo companies, `employees` is Acme's size (as
 * ever); with more, it is the total: Globex keeps its size, Acme takes what it may up to 100,000, the
 * other companies share the rest evenly (each at least one).
 */
export function planCompanies(employees: number, companies: number): { acme: number; others: number[] } {
  if (!Number.isInteger(companies) || companies < DEMO_COMPANIES.length || companies > MAX_DEMO_COMPANIES) {
    throw new Error(`The demo seed takes ${DEMO_COMPANIES.length} to ${MAX_DEMO_COMPANIES} companies, not ${companies}.`);
  }
  if (companies === DEMO_COMPANIES.length) {
    if (!Number.isInteger(employees) || employees < 1 || employees > MAX_DEMO_EMPLOYEES) {
      throw new Error(`The demo seed takes 1 to ${MAX_DEMO_EMPLOYEES} employees, not ${employees}.`);
    }
    return { acme: employees, others: [] };
  }
  const globex = DEMO_ACCOUNTS.filter((account) => account.companyId === 'globex').length + GLOBEX_EMPLOYEES;
  const acmeAccounts = DEMO_ACCOUNTS.length - DEMO_ACCOUNTS.filter((account) => account.companyId === 'globex').length;
  const otherCompanies = companies - DEMO_COMPANIES.length;
  const least = acmeAccounts + globex + otherCompanies;
  if (!Number.isInteger(employees) || employees < least || employees > MAX_DEMO_TOTAL) {
    throw new Error(`The demo seed with ${companies} companies takes ${least} to ${MAX_DEMO_TOTAL} employees, not ${employees}.`);
  }
  const acme = Math.min(MAX_DEMO_EMPLOYEES, employees - globex - otherCompanies);
  const rest = employees - globex - acme;
  const others = Array.from({ length: otherCompanies }, (_, index) => Math.floor(rest / otherCompanies) + (index < rest % otherCompanies ? 1 : 0));
  return { acme, others };
}
