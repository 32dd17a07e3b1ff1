import { describe, expect, it } from 'vitest';
import { employeeSchema, type Employee } from '../../../../common/api';
import { decodeEmployeeRows, encodeEmployeeRows, EmployeeRowsError, IPC_CHANNELS, maxEmployeeRowsChars, OFFLINE_PAGE_MAX } from '../../../../common/ipc';
import { decodeEmployeeRow, employeeRowId, employeeRowsInParts, encodeEmployeeRow, joinEmployeeRows, splitEmployeeRows } from '../../../../common/ipc/employee-rows';

// `employees:list-offline` carries a page of the offline copy as a row block: every employee the
// schema allows comes back exactly, and anything else is refused with the row and field named.
const base: Employee = {
  id: 'acme-0001',
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@acme.test',
  role: 'business',
  cellPhone: '+12125550100',
  twoFactor: { status: 'active', method: 'sms' },
  lastLoginAt: '2025-01-02T03:04:05.000Z',
  updatedAt: '2025-01-02T03:04:05.123Z',
  version: 1,
};

const unusual: Employee[] = [
  base,
  { ...base, id: 'b_-9', cellPhone: null, lastLoginAt: null, twoFactor: { status: 'not_enrolled', method: null }, updatedBy: null, phoneVerifiedAt: null },
  { ...base, id: 'c', role: 'admin', twoFactor: { status: 'pending', method: 'totp', lockedOut: true }, updatedBy: 'Alex Morgan', phoneVerifiedAt: '2025-03-01T00:00:00.000Z' },
  { ...base, id: 'd', role: 'tech', twoFactor: { status: 'active', method: 'voice', lockedOut: false }, version: Number.MAX_SAFE_INTEGER },
  // Texts that look like the block's own markers, hold its separator or escapes, or are empty.
  { ...base, id: 'e', role: 'sales', firstName: '~', lastName: '!', email: '%25%7F', cellPhone: '~', updatedBy: '!' },
  { ...base, id: 'f', firstName: 'a\u007fb', lastName: '%', email: '', cellPhone: '', updatedAt: 'not a date', lastLoginAt: '' },
  { ...base, id: 'g', firstName: 'Zoë 😀 \u0000 "quoted" \\ \n', lastName: 'x'.repeat(100), email: `${'m'.repeat(242)}@example.com`, phoneVerifiedAt: '%7F' },
];

describe('employee row blocks', () => {
  it('gives back every employee exactly, in order (nulls, absent fields, markers, separators, limits)', () => {
    const block = encodeEmployeeRows(unusual);
    const decoded = decodeEmployeeRows(block);
    expect(decoded).toStrictEqual(unusual.map((employee) => employeeSchema.parse(employee)));
    // Absent stays absent (not undefined), so a row compares equal to the portal's.
    expect(Object.keys(decoded[0]!)).not.toContain('updatedBy');
    expect(Object.keys(decoded[0]!.twoFactor)).not.toContain('lockedOut');
    expect(decodeEmployeeRows(encodeEmployeeRows([]))).toEqual([]);
  });

  it('survives the browser bridge (JSON text) and is much smaller than the rows as JSON', () => {
    const many = Array.from({ length: 500 }, (_, index) => ({ ...base, id: `acme-${index}`, email: `ada.lovelace${index}@acme.test`, version: index + 1 }));
    const block = encodeEmployeeRows(many);
    expect(decodeEmployeeRows(JSON.parse(JSON.stringify({ rows: block })).rows)).toStrictEqual(many);
    expect(Buffer.byteLength(JSON.stringify(block))).toBeLessThan(Buffer.byteLength(JSON.stringify(many)) / 2);
  });

  it('fits the channel: a full page of the longest rows passes its output schema', () => {
    const longest: Employee = {
      ...base,
      id: 'i'.repeat(64),
      firstName: '%'.repeat(100),
      lastName: '\u007f'.repeat(100),
      email: '%'.repeat(254),
      cellPhone: '%'.repeat(32),
      updatedBy: '%'.repeat(201),
      twoFactor: { status: 'active', method: 'totp', lockedOut: true },
      version: Number.MAX_SAFE_INTEGER,
    };
    const rows = encodeEmployeeRows([longest]);
    expect(rows.length * OFFLINE_PAGE_MAX).toBeLessThanOrEqual(maxEmployeeRowsChars(OFFLINE_PAGE_MAX));
    const output = IPC_CHANNELS['employees:list-offline'].output;
    expect(output.safeParse({ rows, total: 1, asOf: null }).success).toBe(true);
    expect(output.safeParse({ rows: 'x'.repeat(maxEmployeeRowsChars(OFFLINE_PAGE_MAX) + 1), total: 1, asOf: null }).success).toBe(false);
    // The old shape (rows as objects) is no longer this channel's answer.
    expect(output.safeParse({ items: [base], total: 1, asOf: null }).success).toBe(false);
  });

  const good = encodeEmployeeRows([base, { ...base, id: 'acme-0002' }]);
  const tokens = good.split('\u007f');
  const withToken = (position: number, value: string): string => tokens.map((token, at) => (at === position ? value : token)).join('\u007f');
  // Row 2 starts at token 13 (2 header tokens, 11 per row).
  const refusals: [string, unknown, RegExp][] = [
    ['not a string', { items: [base] }, /not a text block/],
    ['JSON rows', JSON.stringify([base]), /not a block of employee rows/],
    ['another format', good.replace(/^E1/, 'E2'), /not a block/],
    ['a count that does not match', withToken(1, '3'), /not a block/],
    ['a missing token', tokens.slice(0, -1).join('\u007f'), /not a block/],
    ['a bad id', withToken(13, 'acme 0002'), /row 2 .*: id/],
    ['an empty id', withToken(13, ''), /row 2 .*: id/],
    ['a null first name', withToken(14, '~'), /row 2 .*: firstName/],
    ['a first name over 100', withToken(14, 'x'.repeat(101)), /row 2 .*: firstName/],
    ['an escaped email over 254', withToken(16, `%${'x'.repeat(255)}`), /row 2 .*: email/],
    ['an unknown role', withToken(17, 'xa--'), /row 2 .*: role or twoFactor/],
    ['an unknown status', withToken(17, 'bx--'), /row 2 .*: role or twoFactor/],
    ['bad lockedOut', withToken(17, 'bas2'), /row 2 .*: role or twoFactor/],
    ['short flags', withToken(17, 'ba-'), /row 2 .*: role or twoFactor/],
    ['an absent cell phone', withToken(18, '!'), /row 2 .*: cellPhone/],
    ['a cell phone over 32', withToken(18, '+'.repeat(33)), /row 2 .*: cellPhone/],
    ['a null updatedAt', withToken(20, '~'), /row 2 .*: updatedAt/],
    ['version 0', withToken(21, '0'), /row 2 .*: version/],
    ['a negative version', withToken(21, '-1'), /row 2 .*: version/],
    ['a fractional version', withToken(21, '1.5'), /row 2 .*: version/],
    ['a version past the safe integers', withToken(21, 'zzzzzzzzzzz'), /row 2 .*: version/],
    ['updatedBy over 201', withToken(22, 'x'.repeat(202)), /row 2 .*: updatedBy/],
    ['a marker with text after it', withToken(23, '~x'), /row 2 .*: phoneVerifiedAt/],
  ];
  for (const [name, block, message] of refusals) {
    it(`refuses ${name}, naming what is wrong`, () => {
      expect(() => decodeEmployeeRows(block)).toThrow(EmployeeRowsError);
      expect(() => decodeEmployeeRows(block)).toThrow(message);
      // The offline copy's worker reads its file with the same checks.
      expect(() => splitEmployeeRows(block)).toThrow(message);
    });
  }

  // The offline copy keeps its rows as row strings: a page is some of them joined, a write all of them in parts.
  it('splits a block into row strings that join, in any slice, into the block of those employees', () => {
    const rows = splitEmployeeRows(encodeEmployeeRows(unusual));
    expect(rows).toEqual(unusual.map(encodeEmployeeRow));
    expect(rows.map(decodeEmployeeRow)).toStrictEqual(decodeEmployeeRows(encodeEmployeeRows(unusual)));
    expect(rows.map(employeeRowId)).toEqual(unusual.map((employee) => employee.id));
    expect(joinEmployeeRows(rows.slice(2, 5))).toBe(encodeEmployeeRows(unusual.slice(2, 5)));
    expect(joinEmployeeRows([])).toBe(encodeEmployeeRows([]));
    expect(splitEmployeeRows(encodeEmployeeRows([]))).toEqual([]);
    expect([...employeeRowsInParts(rows, 3)].join('')).toBe(encodeEmployeeRows(unusual));
    expect([...employeeRowsInParts(rows, 3)]).toHaveLength(1 + Math.ceil(unusual.length / 3));
    expect([...employeeRowsInParts([], 3)].join('')).toBe(encodeEmployeeRows([]));
  });

  it('refuses a row string that is not one row, or breaks the schema', () => {
    const row = encodeEmployeeRow(base);
    expect(() => decodeEmployeeRow(`${row}\u007fextra`)).toThrow(EmployeeRowsError);
    expect(() => decodeEmployeeRow(row.replace('acme-0001', 'acme 0001'))).toThrow(/id/);
  });
});
