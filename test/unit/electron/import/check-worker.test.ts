import { describe, expect, it } from 'vitest';
import type { Employee, LookupEmployee } from '../../../../common/api';
import { LOOKUP_CONCURRENCY, type ImportService, type ImportServiceOptions } from '../../../../electron/main/import/import-service';
import { checkWorkerFile } from '../../../../electron/main/import/check-worker-file';
import type { Logger } from '../../../../electron/main/log';
import { checkRows } from '../../../../electron/main/import/check';
import { decodeCsv } from '../../../../electron/main/import/decode';
import { readCsv } from '../../../../electron/main/import/read-csv';
import { importResultCsv } from '../../../../electron/main/import/result-file';
import { readLookupAnswer } from '../../../../electron/main/import/check-protocol';
import { IpcFailure } from '../../../../common/ipc';
import { checkingService, EMPLOYEES, fixtureBytes, lookupAnswerBytes, lookupEmployee } from './support';

/**
 * The check runs in a worker thread: main passes the file's bytes and the portal's lookup answers
 * unparsed, and keeps only the packed result. What it reports is what matching on main reports;
 * a worker that dies or an answer that is not understood ends the check with a clear problem and
 * the file stays loaded for another check.
 */
type Keys = { ids: string[]; emails: string[] };

function many(count: number): Employee[] {
  return Array.from({ length: count }, (_, index) => ({ ...EMPLOYEES[0]!, id: `acme-${String(1000 + index)}`, email: `person${index}@acme.test`, cellPhone: '+12125550100' }));
}

function answerBytes(items: readonly Employee[]): Uint8Array {
  // A Node Buffer, as the HTTPS client answers: its slice() is a view, not a copy.
  return lookupAnswerBytes(items);
}

/** A portal's lookup over `employees`; `answer` may replace an answer (by request number, from 0). */
function portal(employees: readonly Employee[], answer: (request: number, found: Employee[]) => Uint8Array | Promise<Uint8Array> = (_request, found) => answerBytes(found)) {
  const bodies: Keys[] = [];
  const lookupEmployees: ImportServiceOptions['lookupEmployees'] = async (body) => {
    const keys = JSON.parse(body) as Keys;
    const request = bodies.push(keys) - 1;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const emails = new Set(keys.emails);
    return answer(request, employees.filter((employee) => keys.ids.includes(employee.id) || emails.has(employee.email.toLowerCase())));
  };
  return { bodies, lookupEmployees };
}

/** Resolves when the check has ended with a problem (as the window would be told). */
function problemShown(): { emit: ImportServiceOptions['emit']; shown: Promise<void> } {
  let tell = () => {};
  const shown = new Promise<void>((resolve) => (tell = resolve));
  return { shown, emit: (state) => state.phase === 'loaded' && state.problemCode !== null && tell() };
}

function service(lookupEmployees: ImportServiceOptions['lookupEmployees'], more: Partial<ImportServiceOptions> = {}) {
  const logged: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const log: Logger = {
    debug() {},
    info: (message, fields) => logged.push({ level: 'info', message, fields }),
    warn: (message, fields) => logged.push({ level: 'warn', message, fields }),
    error: (message, fields) => logged.push({ level: 'error', message, fields }),
  };
  const importer = checkingService({ lookupEmployees, log, ...more });
  return { importer, logged };
}

function load(importer: ImportService, name: string, bytes: Uint8Array): void {
  importer.uploadChunk({ name, size: bytes.byteLength, offset: 0, data: Buffer.from(bytes).toString('base64') });
}

async function check(importer: ImportService) {
  importer.check();
  await importer.idle();
  return importer.getState();
}

function fileOf(people: readonly Employee[]): Uint8Array {
  return new TextEncoder().encode(['Email,Cell phone number', ...people.map((person, index) => `${person.email},(646) 555-${String(index % 10_000).padStart(4, '0')}`)].join('\r\n'));
}

describe('the check worker', () => {
  it('checks in a worker thread and reports what matching every row on main reports, down to the messages', async () => {
    const people = [...EMPLOYEES, ...many(1200)];
    const bytes = new Uint8Array([...fixtureBytes('google-sheets.csv')]);
    const { importer, logged } = service(portal(people).lookupEmployees);
    load(importer, 'google-sheets.csv', bytes);
    const state = await check(importer);
    expect(state.phase).toBe('checked');
    expect(logged.find((line) => line.message === 'import: checked')?.fields).toMatchObject({ where: 'worker' });

    const expected = await checkRows(await readCsv(decodeCsv(bytes).text), people, { companyCountry: 'US' });
    expect(state.counts).toEqual({ changes: expected.changes.length, unchanged: expected.unchanged, errors: expected.errors.length });
    const report = importer.getReport();
    expect(report.errors).toEqual(expected.errors);
    expect(report.changes).toEqual(expected.changes.map(({ idempotencyKey: _key, employee: _employee, ...change }) => change));
    // The result file (every change and error) is whole, from the packed result.
    const lines = importer.resultFile().content.trim().split(/\r?\n/);
    expect(lines).toHaveLength(1 + expected.changes.length + expected.errors.length);
  });

  it('beyond the window’s first 2,000 rows, each change Apply gets is read back from its lookup answer: the change and the employee matching on main finds', async () => {
    // 5,000 people, each with their own version and name; rows by id, by email or by both, with
    // landlines (GB) among them and unknown employees in between, so changes come from many answers.
    const people = many(5000).map((person, index) => ({ ...person, firstName: `First${index}`, version: 1 + (index % 7) }));
    const pad = (index: number) => String(index % 10_000).padStart(4, '0');
    const lines = ['Employee ID,Email,Cell phone number,Country'];
    people.forEach((person, index) => {
      const id = index % 3 === 1 ? '' : person.id;
      const email = index % 3 === 0 ? '' : person.email;
      lines.push(index % 4 === 0 ? `${id},${email},020 7946 ${pad(index)},GB` : `${id},${email},(646) 555-${pad(index)},`);
      if (index % 500 === 0) lines.push(`,nobody${index}@acme.test,(646) 555-0100,`);
    });
    const bytes = new TextEncoder().encode(lines.join('\r\n'));
    const drafts: [LookupEmployee, string][] = [];
    const { importer } = service(portal(people).lookupEmployees, {
      isOffline: () => true,
      saveDraft: async (employee, cellPhone) => {
        drafts.push([employee, cellPhone]);
      },
    });
    load(importer, 'many.csv', bytes);
    expect((await check(importer)).phase).toBe('checked');
    const expected = await checkRows(await readCsv(decodeCsv(bytes).text), people, { companyCountry: 'US' });
    expect(expected.changes.length).toBe(5000);
    expect(expected.changes.filter((change) => change.warning === 'landline')).toHaveLength(1250);
    // Every change, with its employee's name, email, old number and version, and its warning.
    expect(importer.resultFile().content).toBe(importResultCsv(expected.changes, expected.errors));
    // Offline, Apply drafts each change from the employee the check saw.
    importer.apply();
    await importer.idle();
    expect(importer.getState().outcome).toMatchObject({ drafted: 5000 });
    const byId = (a: [LookupEmployee, string], b: [LookupEmployee, string]) => a[0].id.localeCompare(b[0].id);
    expect(drafts.sort(byId)).toEqual(expected.changes.map((change): [LookupEmployee, string] => [lookupEmployee(change.employee), change.newPhone]).sort(byId));
  });

  it('an answer that is not the portal’s (mid-check): the problem is shown, no further request is sent, and the file checks again', async () => {
    const people = many(12 * 500);
    let isBroken = true;
    const problem = problemShown();
    // Requests after the third are answered only once the problem is shown: whatever they answer is not read.
    const lookups = portal(people, async (request, found) => {
      if (!isBroken) return answerBytes(found);
      // The columns' shape, but one name too few.
      if (request === 2) return new TextEncoder().encode(JSON.stringify({ ...JSON.parse(Buffer.from(answerBytes(found)).toString()), firstNames: found.slice(1).map((person) => person.firstName) }));
      if (request > 2) await problem.shown;
      return answerBytes(found);
    });
    const { importer } = service(lookups.lookupEmployees, { emit: problem.emit });
    load(importer, 'people.csv', fileOf(people));
    const state = await check(importer);
    expect(state).toMatchObject({ phase: 'loaded', problemCode: 'request_failed', problemParams: { errorCode: 'server' } });
    expect(state.problem).toBe("The portal's answer was not understood. It may run an incompatible version.");
    // The three answered, and the requests in flight when the broken answer came back: no more.
    expect(lookups.bodies).toHaveLength(3 + LOOKUP_CONCURRENCY);

    isBroken = false;
    const again = await check(importer);
    expect(again).toMatchObject({ phase: 'checked', counts: { changes: people.length, unchanged: 0, errors: 0 } });
  });

  it('reads the portal’s columns answer into employees, and refuses any answer that is not exactly that shape with “not understood”', () => {
    const people = [...EMPLOYEES.slice(0, 3), { ...EMPLOYEES[0]!, id: 'acme-2000', firstName: 'Zoë', lastName: 'Ångström', email: 'zoe@acme.test', cellPhone: null, version: 12 }];
    const good = JSON.parse(Buffer.from(lookupAnswerBytes(people)).toString()) as Record<string, unknown[]>;
    expect(readLookupAnswer(lookupAnswerBytes(people))).toEqual(people.map(lookupEmployee));
    expect(readLookupAnswer(new TextEncoder().encode(JSON.stringify({ ...good, more: 'ignored' })))).toEqual(people.map(lookupEmployee));
    expect(readLookupAnswer(new TextEncoder().encode('{"ids":[],"firstNames":[],"lastNames":[],"emails":[],"cellPhones":[],"versions":[]}'))).toEqual([]);
    const replaced = (column: string, at: number, value: unknown) => ({ ...good, [column]: good[column]!.map((item, index) => (index === at ? value : item)) });
    const { versions: _versions, ...noVersions } = good;
    const broken: [string, unknown][] = [
      ['not JSON', undefined],
      ['null', null],
      ['an array', [good]],
      ['the list shape', { items: people }],
      ['a column missing', noVersions],
      ['a column that is not an array', { ...good, emails: 'a@acme.test' }],
      ['columns of different lengths', { ...good, lastNames: good.lastNames!.slice(1) }],
      ['a longer column', { ...good, cellPhones: [...good.cellPhones!, null] }],
      ['an id that is not an employee id', replaced('ids', 1, 'acme 1; DROP TABLE')],
      ['an id that is a number', replaced('ids', 0, 1001)],
      ['an empty id', replaced('ids', 2, '')],
      ['a first name over 100 characters', replaced('firstNames', 0, 'x'.repeat(101))],
      ['a last name that is null', replaced('lastNames', 3, null)],
      ['an email over 254 characters', replaced('emails', 1, `${'x'.repeat(250)}@a.test`)],
      ['an email that is an object', replaced('emails', 0, { toString: 'a@acme.test' })],
      ['a number over 32 characters', replaced('cellPhones', 0, `+${'1'.repeat(32)}`)],
      ['a number that is a number', replaced('cellPhones', 2, 12125550100)],
      ['a version of 0', replaced('versions', 0, 0)],
      ['a negative version', replaced('versions', 1, -3)],
      ['a fractional version', replaced('versions', 2, 1.5)],
      ['a version as text', replaced('versions', 3, '12')],
      ['a version past the safe integers', replaced('versions', 0, 2 ** 53)],
    ];
    for (const [what, body] of broken) {
      const bytes = new TextEncoder().encode(what === 'not JSON' ? '{"ids":[' : JSON.stringify(body));
      expect(() => readLookupAnswer(bytes), what).toThrow("The portal's answer was not understood. It may run an incompatible version.");
      try {
        readLookupAnswer(bytes);
      } catch (error) {
        expect(error, what).toBeInstanceOf(IpcFailure);
        expect((error as IpcFailure).code, what).toBe('server');
      }
    }
  });

  it('a worker that dies mid-check: a clear problem, logged, no further request, and the file checks again', async () => {
    const problem = problemShown();
    const lookups = portal(many(10), async (request, found) => {
      if (request > 0) await problem.shown;
      return answerBytes(found);
    });
    let workerFile: string | URL = new URL('./crashing-check-worker.mjs', import.meta.url);
    const { importer, logged } = service(lookups.lookupEmployees, { emit: problem.emit, checkWorker: { workerFile: async () => workerFile } });
    load(importer, 'people.csv', fileOf(many(10)));
    const state = await check(importer);
    expect(state).toMatchObject({ phase: 'loaded', problemCode: 'failed', file: { name: 'people.csv' } });
    // The first (the worker died reading its answer), the three then in flight and the one its lane then started: no more.
    expect(lookups.bodies).toHaveLength(LOOKUP_CONCURRENCY + 1);
    const failure = logged.find((line) => line.level === 'error')?.fields?.error;
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe('the check worker exited (3)');

    workerFile = await checkWorkerFile();
    expect(await check(importer)).toMatchObject({ phase: 'checked', counts: { changes: 10, unchanged: 0, errors: 0 } });
  });

  it('a worker that cannot start: the same check on main, and the failure is logged', async () => {
    const people = many(20);
    const { importer, logged } = service(portal(people).lookupEmployees, { checkWorker: { workerFile: async () => new URL('./no-such-worker.mjs', import.meta.url) } });
    load(importer, 'people.csv', fileOf(people));
    expect(await check(importer)).toMatchObject({ phase: 'checked', counts: { changes: 20, unchanged: 0, errors: 0 } });
    expect(logged.find((line) => line.message === 'import: checked')?.fields).toMatchObject({ where: 'main' });
    expect(logged.some((line) => line.level === 'warn' && line.message.includes('could not start'))).toBe(true);
  });
});
