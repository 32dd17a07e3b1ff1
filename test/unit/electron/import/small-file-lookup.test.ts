import { describe, expect, it } from 'vitest';
import { LOOKUP_MAX_KEYS, type Employee, type EmployeeList } from '../../../../common/api';
import { createImportService, LOOKUP_UP_TO_ROWS, type ImportServiceOptions } from '../../../../electron/main/import/import-service';
import type { PhoneValidator } from '../../../../electron/main/import/phone-validator';
import { validatePhone } from '../../../../common/phone';
import { silentLogger } from '../../../../electron/main/log';
import { EMPLOYEES, fixtureBytes } from './support';

/**
 * A small file is checked against just the employees its rows name (POST /employees/lookup), not
 * against every employee of the company; a large one still loads every page. Either way the report
 * is the same.
 */
function many(count: number): Employee[] {
  return Array.from({ length: count }, (_, index) => ({
    ...EMPLOYEES[0]!,
    id: `acme-${String(1000 + index)}`,
    email: `person${index}@acme.test`,
    cellPhone: '+12125550100',
  }));
}

function service(employees: readonly Employee[]) {
  const calls = { pages: 0, lookups: [] as { ids: string[]; emails: string[] }[] };
  const phones: PhoneValidator = {
    validate: async (numbers) => numbers.map(([raw, country]) => validatePhone(raw, country)),
    where: 'main',
    dispose: async () => {},
  };
  const options: ImportServiceOptions = {
    async listEmployees(input): Promise<EmployeeList> {
      calls.pages++;
      const start = input.cursor ? Number(input.cursor) : 0;
      const items = employees.slice(start, start + input.limit);
      const next = start + input.limit;
      return { items, nextCursor: next < employees.length ? String(next) : null, total: employees.length };
    },
    async lookupEmployees(keys) {
      calls.lookups.push(keys);
      const emails = new Set(keys.emails.map((email) => email.toLowerCase()));
      return employees.filter((employee) => keys.ids.includes(employee.id) || emails.has(employee.email.toLowerCase()));
    },
    sendBatch: () => Promise.reject(new Error('unused')),
    saveDraft: () => Promise.reject(new Error('unused')),
    companyCountry: () => 'US',
    isOffline: () => false,
    onApplied() {},
    emit() {},
    log: silentLogger,
    createPhoneValidator: () => phones,
  };
  return { service: createImportService(options), calls, withoutLookup: createImportService({ ...options, lookupEmployees: undefined }) };
}

async function checked(importer: ReturnType<typeof createImportService>, name: string, bytes: Uint8Array) {
  importer.uploadChunk({ name, size: bytes.byteLength, offset: 0, data: Buffer.from(bytes).toString('base64') });
  importer.check();
  await importer.idle();
  const state = importer.getState();
  if (state.phase !== 'checked') throw new Error(`${state.phase}: ${state.problem ?? ''}`);
  return { counts: state.counts, report: importer.getReport() };
}

describe('checking a small file', () => {
  it('asks the portal only for the employees the rows name, and reports exactly what a full check reports', async () => {
    const bytes = fixtureBytes('google-sheets.csv');
    const { service: importer, calls, withoutLookup } = service([...EMPLOYEES, ...many(3000)]);
    const small = await checked(importer, 'google-sheets.csv', bytes);
    expect(calls.pages).toBe(0);
    expect(calls.lookups).toHaveLength(1);
    expect(calls.lookups[0]!.emails).toContain('jane.doe@acme.test');
    const full = await checked(withoutLookup, 'google-sheets.csv', bytes);
    expect(calls.pages).toBe(4);
    expect(small.counts).toEqual(full.counts);
    expect(small.report).toEqual(full.report);
  });

  it(`splits its keys into requests of at most ${LOOKUP_MAX_KEYS}; an id the portal cannot have is not sent, and its row is unknown`, async () => {
    const people = many(LOOKUP_UP_TO_ROWS - 1);
    const text = ['Employee ID,Email,Cell phone number', ...people.map((person, index) => `${person.id},${person.email.toUpperCase()},(646) 555-${String(index).padStart(4, '0')}`), 'acme 0001;--,,(646) 555-9999'].join('\n');
    const { service: importer, calls } = service(people);
    const result = await checked(importer, 'many.csv', new TextEncoder().encode(text));
    expect(calls.pages).toBe(0);
    expect(calls.lookups.every((keys) => keys.ids.length + keys.emails.length <= LOOKUP_MAX_KEYS)).toBe(true);
    expect(calls.lookups.flatMap((keys) => keys.ids)).not.toContain('acme 0001;--');
    expect(result.counts).toEqual({ changes: LOOKUP_UP_TO_ROWS - 1, unchanged: 0, errors: 1 });
    expect(result.report.errors[0]!.message).toMatch(/^Unknown employee/);
  });

  it(`a file of more than ${LOOKUP_UP_TO_ROWS} rows loads every employee page instead`, async () => {
    const people = many(LOOKUP_UP_TO_ROWS + 1);
    const text = ['Email,Cell phone number', ...people.map((person, index) => `${person.email},(646) 555-${String(index).padStart(4, '0')}`)].join('\n');
    const { service: importer, calls } = service(people);
    const result = await checked(importer, 'large.csv', new TextEncoder().encode(text));
    expect(calls.lookups).toHaveLength(0);
    expect(calls.pages).toBe(2);
    expect(result.counts).toEqual({ changes: LOOKUP_UP_TO_ROWS + 1, unchanged: 0, errors: 0 });
  });
});
