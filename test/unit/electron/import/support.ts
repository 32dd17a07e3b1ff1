import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Employee, EmployeeLookupColumns, LookupEmployee } from '../../../../common/api';
import { checkRows, type CheckResult } from '../../../../electron/main/import/check';
import { createImportService, type ImportService, type ImportServiceOptions } from '../../../../electron/main/import/import-service';
import { silentLogger } from '../../../../electron/main/log';
import { decodeCsv } from '../../../../electron/main/import/decode';
import { readCsv, type CsvTable } from '../../../../electron/main/import/read-csv';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'csv');

/** What an import's check keeps of an employee (the fields POST /employees/lookup/columns answers). */
export function lookupEmployee({ id, firstName, lastName, email, cellPhone, version }: LookupEmployee): LookupEmployee {
  return { id, firstName, lastName, email, cellPhone, version };
}

/** The portal's POST /employees/lookup/columns answer for `employees`, as bytes (a Node Buffer, as the HTTPS client gives them). */
export function lookupAnswerBytes(employees: readonly LookupEmployee[]): Uint8Array {
  const columns: EmployeeLookupColumns = {
    ids: employees.map((employee) => employee.id),
    firstNames: employees.map((employee) => employee.firstName),
    lastNames: employees.map((employee) => employee.lastName),
    emails: employees.map((employee) => employee.email),
    cellPhones: employees.map((employee) => employee.cellPhone),
    versions: employees.map((employee) => employee.version),
  };
  return Buffer.from(JSON.stringify(columns));
}

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}

function employee(id: string, firstName: string, lastName: string, email: string, cellPhone: string | null, version: number): Employee {
  return {
    id,
    firstName,
    lastName,
    email,
    role: 'tech',
    cellPhone,
    twoFactor: { status: 'active', method: 'sms' },
    lastLoginAt: null,
    updatedAt: '2026-11-01T10:00:00.000Z',
    version,
  };
}

/** A US company's employees, as the portal would list them. */
export const EMPLOYEES: readonly Employee[] = [
  employee('acme-0101', 'Jane', 'Doe', 'jane.doe@acme.test', '+12125550100', 3),
  employee('acme-0102', 'Zoë', 'Müller', 'zoe.mueller@acme.test', null, 1),
  employee('acme-0103', 'François', 'Lefèvre', 'francois@acme.test', '+33612345678', 2),
  employee('acme-0104', 'Seán', "O'Brien", 'sean.obrien@acme.test', '+12125550104', 5),
  employee('acme-0105', 'Jürgen', 'Weiß', 'juergen.weiss@acme.test', '+4915123456789', 1),
];

export async function readFixture(name: string): Promise<CsvTable & { encoding: string }> {
  const { text, encoding } = decodeCsv(fixtureBytes(name));
  return { ...(await readCsv(text)), encoding };
}

let keys = 0;
export async function checkFixture(name: string, employees: readonly Employee[] = EMPLOYEES): Promise<CheckResult & { table: CsvTable & { encoding: string } }> {
  const table = await readFixture(name);
  const result = await checkRows(table, employees, { companyCountry: 'US', newKey: () => `key-${++keys}` });
  return { ...result, table };
}

/** The changes as `row: id old → new` lines, easy to compare. */
export function changeLines(result: CheckResult): string[] {
  return result.changes.map((change) => `${change.row}: ${change.employeeId} ${change.oldPhone ?? '—'} → ${change.newPhone}${change.warning ? ` (${change.warning})` : ''}`);
}

/** An import service for a check (US company, online); Apply's and the window's parts unused unless given. */
export function checkingService(options: Pick<ImportServiceOptions, 'lookupEmployees'> & Partial<ImportServiceOptions>): ImportService {
  return createImportService({
    sendBatch: () => Promise.reject(new Error('unused')),
    saveDraft: () => Promise.reject(new Error('unused')),
    companyCountry: () => 'US',
    isOffline: () => false,
    onApplied() {},
    emit() {},
    log: silentLogger,
    ...options,
  });
}
