/**
 * npm run bench:offline-copy — the encrypted offline copy of the employee list at company sizes
 * of 1,000, 10,000 and 100,000: how long one durable write (JSON → AES-256-GCM → temp file → fsync →
 * rename) and one open (read → decrypt → validate) hold the main process, and the file's size.
 * Prints a table and writes bench/results/offline-copy.json. See bench/README.md.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Employee, PortalUser } from '../common/api';
import { silentLogger } from '../electron/main/log';
import { openEmployeeSnapshot } from '../electron/main/offline/employee-snapshot';
import { newDataKey } from '../electron/main/offline/sealed-box';

const SIZES = [1_000, 10_000, 100_000];
const ROUNDS = 3;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const USER: PortalUser = { id: 'acme-0001', email: 'admin@acme.test', firstName: 'Alex', lastName: 'Morgan', role: 'admin', company: { id: 'acme', name: 'Acme', country: 'US' } };

function employees(count: number): Employee[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `acme-${String(index).padStart(6, '0')}`,
    firstName: 'Firstname',
    lastName: `Lastname${index}`,
    email: `first.last${index}@acme.test`,
    role: 'business',
    cellPhone: `+1212555${String(index % 10_000).padStart(4, '0')}`,
    twoFactor: { status: 'active', method: 'sms' },
    lastLoginAt: '2026-11-29T07:08:00.000Z',
    updatedAt: '2026-11-29T07:08:00.000Z',
    version: 1,
  }));
}

const median = (values: number[]) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (value: number) => Math.round(value);

function main(): void {
  const folder = mkdtempSync(join(tmpdir(), 'portal-admin-offline-copy-'));
  const rows: { employees: number; writeMs: number; openMs: number; fileMB: number }[] = [];
  try {
    for (const size of SIZES) {
      const items = employees(size);
      const file = join(folder, `employees-${size}.sealed`);
      const key = newDataKey();
      const writes: number[] = [];
      const opens: number[] = [];
      for (let index = 0; index < ROUNDS; index++) {
        const snapshot = openEmployeeSnapshot({ file, key, account: 'bench', log: silentLogger, writeDelayMs: 0 });
        let started = performance.now();
        snapshot.replaceAll(USER, items, new Date().toISOString());
        writes.push(performance.now() - started);
        started = performance.now();
        const reopened = openEmployeeSnapshot({ file, key, account: 'bench', log: silentLogger, writeDelayMs: 0 });
        opens.push(performance.now() - started);
        if (reopened.size() !== size || reopened.problem !== null) throw new Error(`the copy of ${size} did not reopen whole`);
      }
      rows.push({ employees: size, writeMs: round(median(writes)), openMs: round(median(opens)), fileMB: Math.round(statSync(file).size / 1e5) / 10 });
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  console.log('employees  write ms (median of 3)  open ms (median of 3)  file MB');
  console.log('---------  ---------------------  --------------------  -------');
  for (const row of rows) console.log(`${String(row.employees).padEnd(9)}  ${String(row.writeMs).padStart(21)}  ${String(row.openMs).padStart(20)}  ${String(row.fileMB).padStart(7)}`);
  const out = join(root, 'bench/results/offline-copy.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ node: process.version, cpus: cpus().length, rows }, null, 2)}\n`);
  console.log('\nresults written to bench/results/offline-copy.json');
}

main();
