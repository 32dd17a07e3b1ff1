import { describe, expect, it } from 'vitest';
import { LOOKUP_MAX_KEYS, LOWERS_TO_ASCII, emailMatchKey, type Employee } from '../../../../common/api';
import { checkRows } from '../../../../electron/main/import/check';
import { decodeCsv } from '../../../../electron/main/import/decode';
import { LOOKUP_CONCURRENCY, type ImportService, type ImportServiceOptions } from '../../../../electron/main/import/import-service';
import { readCsv } from '../../../../electron/main/import/read-csv';
import { checkingService, EMPLOYEES, fixtureBytes, lookupAnswerBytes } from './support';

/**
 * A check asks the portal only for the employees its rows name (POST /employees/lookup), a few
 * requests in flight, and reports exactly what matching the rows against every employee reports.
 * (POST /employees/lookup/columns: the same employees, only the fields the check reads.)
 */
function many(count: number): Employee[] {
  return Array.from({ length: count }, (_, index) => ({
    ...EMPLOYEES[0]!,
    id: `acme-${String(1000 + index)}`,
    email: `person${index}@acme.test`,
    cellPhone: '+12125550100',
  }));
}

/** A portal's lookup over `employees`, answering by `emailMatchKey` as the reference portal does. */
function lookupOver(employees: readonly Employee[]) {
  return (keys: { ids: string[]; emails: string[] }) => {
    const emails = new Set(keys.emails.map(emailMatchKey));
    return employees.filter((employee) => keys.ids.includes(employee.id) || emails.has(emailMatchKey(employee.email)));
  };
}

type Keys = { ids: string[]; emails: string[] };

/** A portal's POST /employees/lookup: the JSON body read, the answer's bytes as the portal client gives them. */
function lookupAnswering(find: (keys: Keys) => Promise<Employee[]>): ImportServiceOptions['lookupEmployees'] {
  return async (body) => lookupAnswerBytes(await find(JSON.parse(body) as Keys));
}

/** The import service with a check that runs on this thread (`checkWorker` to run it in a worker). */
function service(find: (keys: Keys) => Promise<Employee[]>, more: Partial<ImportServiceOptions> = {}) {
  return checkingService({ lookupEmployees: lookupAnswering(find), checkWorker: { runIn: 'main' }, ...more });
}

async function checked(importer: ImportService, name: string, bytes: Uint8Array) {
  importer.uploadChunk({ name, size: bytes.byteLength, offset: 0, data: Buffer.from(bytes).toString('base64') });
  importer.check();
  await importer.idle();
  const state = importer.getState();
  if (state.phase !== 'checked') throw new Error(`${state.phase}: ${state.problem ?? ''}`);
  return { counts: state.counts, report: importer.getReport() };
}

async function checkedAgainstEveryone(bytes: Uint8Array, employees: readonly Employee[]) {
  const result = await checkRows(await readCsv(decodeCsv(bytes).text), employees, { companyCountry: 'US' });
  return {
    counts: { changes: result.changes.length, unchanged: result.unchanged, errors: result.errors.length },
    changes: result.changes.map(({ row, employeeId, oldPhone, newPhone, version }) => ({ row, employeeId, oldPhone, newPhone, version })),
    errors: result.errors,
  };
}

describe('a check looks up the employees its rows name', () => {
  it('asks only for them, and reports exactly what matching against every employee reports', async () => {
    const bytes = fixtureBytes('google-sheets.csv');
    const everyone = [...EMPLOYEES, ...many(3000)];
    const lookups: { ids: string[]; emails: string[] }[] = [];
    const find = lookupOver(everyone);
    const small = await checked(service(async (keys) => (lookups.push(keys), find(keys))), 'google-sheets.csv', bytes);
    expect(lookups).toHaveLength(1);
    expect(lookups[0]!.emails).toContain('jane.doe@acme.test');
    const full = await checkedAgainstEveryone(bytes, everyone);
    expect(small.counts).toEqual(full.counts);
    expect(small.report.changes.map(({ row, employeeId, oldPhone, newPhone, version }) => ({ row, employeeId, oldPhone, newPhone, version }))).toEqual(full.changes);
    expect(small.report.errors).toEqual(full.errors);
  });

  it(`splits its keys into requests of at most ${LOOKUP_MAX_KEYS}; an id the portal cannot have is not sent, and its row is unknown`, async () => {
    const people = many(999);
    const text = ['Employee ID,Email,Cell phone number', ...people.map((person, index) => `${person.id},${person.email.toUpperCase()},(646) 555-${String(index).padStart(4, '0')}`), 'acme 0001;--,,(646) 555-9999'].join('\n');
    const lookups: { ids: string[]; emails: string[] }[] = [];
    const find = lookupOver(people);
    const result = await checked(service(async (keys) => (lookups.push(keys), find(keys))), 'many.csv', new TextEncoder().encode(text));
    expect(lookups.every((keys) => keys.ids.length + keys.emails.length <= LOOKUP_MAX_KEYS)).toBe(true);
    expect(lookups.flatMap((keys) => keys.ids)).not.toContain('acme 0001;--');
    expect(result.counts).toEqual({ changes: 999, unchanged: 0, errors: 1 });
    expect(result.report.errors[0]!.message).toMatch(/^Unknown employee/);
  });

  it(`a large file: at most ${LOOKUP_CONCURRENCY} requests in flight, answers arriving out of order give the same report`, async () => {
    const people = many(6 * LOOKUP_MAX_KEYS + 7);
    // Two rows for one person with different numbers, far apart (different requests): both are errors, as in a full check.
    const rows = people.map((person, index) => `${person.email},(646) 555-${String(index % 10_000).padStart(4, '0')}`);
    rows.push(`${people[3]!.email},(917) 555-0003`);
    const bytes = new TextEncoder().encode(['Email,Cell phone number', ...rows].join('\n'));
    const find = lookupOver(people);
    let inFlight = 0;
    let mostInFlight = 0;
    let requests = 0;
    const result = await checked(
      service(async (keys) => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        const order = requests++;
        // Later requests answer first.
        await new Promise((resolve) => setTimeout(resolve, 40 - 5 * order));
        inFlight -= 1;
        return find(keys);
      }),
      'large.csv',
      bytes,
    );
    expect(requests).toBe(Math.ceil(people.length / LOOKUP_MAX_KEYS));
    expect(mostInFlight).toBe(LOOKUP_CONCURRENCY);
    const full = await checkedAgainstEveryone(bytes, people);
    expect(result.counts).toEqual(full.counts);
    expect(result.counts).toEqual({ changes: people.length - 1, unchanged: 0, errors: 2 });
    expect(result.report.errors).toEqual(full.errors);
  });

  it('a request the portal refuses ends the check with the problem shown, and no further request is sent', async () => {
    const people = many(10 * LOOKUP_MAX_KEYS);
    const bytes = new TextEncoder().encode(['Email,Cell phone number', ...people.map((person) => `${person.email},(646) 555-0100`)].join('\n'));
    let requests = 0;
    const importer = service(async () => {
      requests += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      throw new (await import('../../../../common/ipc')).IpcFailure('offline', 'The portal cannot be reached.');
    });
    importer.uploadChunk({ name: 'a.csv', size: bytes.byteLength, offset: 0, data: Buffer.from(bytes).toString('base64') });
    importer.check();
    await importer.idle();
    expect(importer.getState()).toMatchObject({ phase: 'loaded', problem: 'The portal cannot be reached.' });
    expect(requests).toBe(LOOKUP_CONCURRENCY);
  });
});

describe('emails match without regard to case, in any script', () => {
  const people: Employee[] = [
    { ...EMPLOYEES[0]!, id: 'acme-2001', email: 'JÖRG.ÅSTRÖM@acme.test', cellPhone: '+12125550101' },
    { ...EMPLOYEES[0]!, id: 'acme-2002', email: 'kate@acme.test', cellPhone: '+12125550102' },
  ];

  it('a row whose email differs only in non-ASCII case is that employee; a look-alike (the Kelvin sign) is not', async () => {
    const text = ['Email,Cell phone number', 'jörg.åström@ACME.test,(646) 555-0101', '\u212Aate@acme.test,(646) 555-0102'].join('\n');
    const bytes = new TextEncoder().encode(text);
    const result = await checked(service(async (keys) => lookupOver(people)(keys)), 'names.csv', bytes);
    expect(result.counts).toEqual({ changes: 1, unchanged: 0, errors: 1 });
    expect(result.report.changes[0]).toMatchObject({ row: 2, employeeId: 'acme-2001', newPhone: '+16465550101' });
    expect(result.report.errors[0]).toMatchObject({ row: 3 });
    expect(result.report.errors[0]!.message).toMatch(/^Unknown employee/);
    // The same as matching against every employee.
    expect((await checkedAgainstEveryone(bytes, people)).counts).toEqual(result.counts);
  });

  it('emailMatchKey folds every script but never turns a character into an ASCII one', () => {
    expect(emailMatchKey('Jane.Doe@ACME.test')).toBe('jane.doe@acme.test');
    expect(emailMatchKey('JÖRG@Acme.test')).toBe(emailMatchKey('jörg@acme.test'));
    expect(emailMatchKey('ΣΩΚΡΆΤΗΣ@acme.test')).toBe(emailMatchKey('σωκράτης@acme.test'));
    expect(emailMatchKey('\u212Aate@acme.test')).not.toBe(emailMatchKey('kate@acme.test'));
    expect(emailMatchKey(emailMatchKey('\u212Aate@ACME.İ.test'))).toBe(emailMatchKey('\u212Aate@ACME.İ.test'));
    // The one character outside ASCII whose lower case is ASCII (so SQLite's lookup can find every match).
    const lowersToAscii: string[] = [];
    for (let code = 0x80; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCodePoint(code);
      if (/^\p{ASCII}+$/u.test(char.toLowerCase())) lowersToAscii.push(char);
    }
    expect(lowersToAscii).toEqual([LOWERS_TO_ASCII]);
  });
});
