import { describe, expect, it } from 'vitest';
import type { Employee } from '../../../../common/api';
import { employeesCsv, EMPLOYEE_EXPORT_HEADER } from '../../../../common/csv';
import { IMPORT_MAX_ROWS } from '../../../../common/ipc';
import { checkRows } from '../../../../electron/main/import/check';
import { decodeCsv } from '../../../../electron/main/import/decode';
import { ImportFileProblem, readCsv } from '../../../../electron/main/import/read-csv';
import { EMPLOYEES } from './support';

function manyEmployees(count: number): Employee[] {
  return Array.from({ length: count }, (_, index) => ({
    ...EMPLOYEES[0]!,
    id: `acme-${String(index + 1).padStart(6, '0')}`,
    email: `person${index + 1}@acme.test`,
    cellPhone: `+1212555${String(index % 10_000).padStart(4, '0')}`,
    version: 1 + (index % 7),
  }));
}

describe('large files', () => {
  it('100,000 rows (generated): every row read and matched, the numbers that differ are changes', async () => {
    const employees = manyEmployees(IMPORT_MAX_ROWS);
    const lines = ['email;Mobile Number'];
    // Every third employee keeps the number; the others get a new one in national form.
    employees.forEach((employee, index) => lines.push(`${employee.email};${index % 3 === 0 ? employee.cellPhone : `(646) 555-${String(index % 10_000).padStart(4, '0')}`}`));
    const bytes = new TextEncoder().encode(lines.join('\r\n'));
    const table = await readCsv(decodeCsv(bytes).text);
    expect(table.rows).toHaveLength(IMPORT_MAX_ROWS);
    expect(table.rows.at(-1)!.row).toBe(IMPORT_MAX_ROWS + 1);
    const result = await checkRows(table, employees, { companyCountry: 'US' });
    expect(result.errors).toEqual([]);
    expect(result.unchanged).toBe(Math.ceil(IMPORT_MAX_ROWS / 3));
    expect(result.changes).toHaveLength(IMPORT_MAX_ROWS - Math.ceil(IMPORT_MAX_ROWS / 3));
    expect(result.changes[0]).toMatchObject({ row: 3, employeeId: 'acme-000002', newPhone: '+16465550001', version: 2 });
  }, 60_000);

  it('more than 100,000 rows is refused with plain words', async () => {
    const text = ['email,phone', ...Array.from({ length: IMPORT_MAX_ROWS + 1 }, (_, index) => `p${index}@acme.test,+12125550100`)].join('\n');
    await expect(readCsv(text)).rejects.toThrow(ImportFileProblem);
    await expect(readCsv(text)).rejects.toThrow('The file has more than 100,000 rows. Split it into smaller files and import them one after another.');
  }, 60_000);
});

describe('export → edit in a spreadsheet → import (the round trip)', () => {
  const tricky: Employee[] = [
    { ...EMPLOYEES[0]!, firstName: '=HYPERLINK("http://evil.test","x")', lastName: 'Doe, Jr.' },
    { ...EMPLOYEES[1]!, firstName: '@Zoë', cellPhone: '+4915123456789' },
    { ...EMPLOYEES[2]!, lastName: 'Lefèvre\n"Franky"' },
    { ...EMPLOYEES[3]!, cellPhone: null },
  ];

  it('neutralises every formula trigger (OWASP) and keeps phone numbers readable as text', () => {
    const csv = employeesCsv(tricky);
    expect(csv.startsWith('\uFEFFEmployee ID,First name,Last name,Email,Role,2FA status,Cell phone number,Version,Last login\r\n')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[1]).toBe(`acme-0101,"'=HYPERLINK(""http://evil.test"",""x"")","Doe, Jr.",jane.doe@acme.test,tech,active,'+12125550100,3,`);
    expect(lines[2]).toContain(",'@Zoë,");
    expect(csv).toContain('"Lefèvre\n""Franky"""');
    // No cell (after the delimiter or quote) begins with a trigger.
    for (const line of lines) for (const cell of line.split(',')) expect(cell).not.toMatch(/^"?[=+\-@\t\r]/);
  });

  it('an exported file, with numbers edited, imports back as exactly those changes', async () => {
    const exported = employeesCsv(tricky);
    const edited = exported
      .replace("'+12125550100", "'+12125550111") // edited keeping the neutralising quote
      .replace("'+4915123456789", '+49 151 99999999'); // retyped by hand
    const table = await readCsv(decodeCsv(new TextEncoder().encode(edited)).text);
    expect(table.header).toEqual([...EMPLOYEE_EXPORT_HEADER]);
    const result = await checkRows(table, tricky, { companyCountry: 'US' });
    expect(result.changes.map((change) => [change.employeeId, change.newPhone])).toEqual([
      ['acme-0101', '+12125550111'],
      ['acme-0102', '+4915199999999'],
    ]);
    expect(result.unchanged).toBe(1);
    // The employee without a number: an import never removes one.
    expect(result.errors).toEqual([{ row: 5, message: "No cell phone number for Seán O'Brien (an import does not remove numbers).", code: 'no_number', name: "Seán O'Brien" }]);
  });
});

describe('decoding big files in slices', () => {
  it('gives the same text and encoding as decoding at once, across slice boundaries', async () => {
    const { decodeCsv: atOnce, decodeCsvInSlices } = await import('../../../../electron/main/import/decode');
    const line = 'Zoë Müller,€ “quoted” Œ,+49 151 23456789\r\n';
    const utf8 = new TextEncoder().encode(`\uFEFF${line.repeat(30_000)}`);
    const cp1252 = Uint8Array.from(Buffer.from(line.repeat(30_000), 'latin1').map((byte) => byte)); // not valid UTF-8
    const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
    for (const bytes of [utf8, utf8.subarray(3), cp1252]) {
      expect(bytes.length).toBeGreaterThan(512 * 1024);
      expect(await decodeCsvInSlices(bytes, tick)).toEqual(atOnce(bytes));
    }
  }, 30_000);
});
