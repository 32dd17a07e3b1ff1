import { describe, expect, it } from 'vitest';
import { changeLines, checkFixture, readFixture } from './support';

/** Files shaped like what spreadsheets really write (test/fixtures/csv/), read and checked. */
describe('import files from real spreadsheets', () => {
  it('Excel "CSV UTF-8" (byte order mark, CRLF): accents intact, one unknown employee', async () => {
    const result = await checkFixture('excel-utf8-bom.csv');
    expect(result.table.encoding).toBe('utf-8 (BOM)');
    expect(result.table.delimiter).toBe(',');
    expect(result.table.header[0]).toBe('Employee ID'); // no BOM left on the first name
    expect(result.table.rows[1]!.cells[1]).toBe('Zoë');
    expect(changeLines(result)).toEqual(['2: acme-0101 +12125550100 → +12125550142', '3: acme-0102 — → +4915123456789']);
    expect(result.unchanged).toBe(1);
    expect(result.errors).toEqual([{ row: 5, message: 'Unknown employee: no employee with id "acme-9999" in your company.', code: 'unknown_id', value: 'acme-9999' }]);
  });

  it("Excel from a German locale (';', Windows-1252, German headers, a country column)", async () => {
    const result = await checkFixture('excel-german-semicolon.csv');
    expect(result.table.encoding).toBe('windows-1252');
    expect(result.table.delimiter).toBe(';');
    expect(result.table.rows[0]!.cells.slice(1, 3)).toEqual(['Jürgen', 'Weiß']);
    // National German numbers read with the row's country, not the company's (US); emails match in any case.
    expect(changeLines(result)).toEqual(['2: acme-0105 +4915123456789 → +4915198765432', '3: acme-0102 — → +4930901820 (landline)']);
    expect(result.errors).toEqual([{ row: 4, message: 'Unknown employee: no employee with email "max@acme.test" in your company.', code: 'unknown_email', value: 'max@acme.test' }]);
  });

  it('Windows-1252 names: €, curly quotes, Œ and Š come through (bytes 0x80–0x9F)', async () => {
    const result = await checkFixture('windows-1252-names.csv');
    expect(result.table.encoding).toBe('windows-1252');
    expect(result.table.rows[0]!.cells[1]).toBe("Seán O'Brien");
    expect(result.table.rows[0]!.cells[3]).toBe('Budget €50 – “Œuvre” Š');
    expect(changeLines(result)).toEqual(['2: acme-0104 +12125550104 → +12125550177']);
    expect(result.unchanged).toBe(1);
  });

  it('Google Sheets (UTF-8 without BOM, LF, no final line break): country column, toll-free and unknown country refused', async () => {
    const result = await checkFixture('google-sheets.csv');
    expect(result.table.encoding).toBe('utf-8');
    expect(changeLines(result)).toEqual(['2: acme-0101 +12125550100 → +61412345678']);
    expect(result.unchanged).toBe(1);
    expect(result.errors.map((error) => error.row)).toEqual([4, 5]);
    expect(result.errors[0]!.message).toMatch(/^Invalid number "\+1 800 555 0100" for Jürgen Weiß: Premium-rate, toll-free/);
    // The parts, for the window to mask the number and word the reason in the language shown.
    expect(result.errors[0]).toMatchObject({ code: 'invalid_number', value: '+1 800 555 0100', name: 'Jürgen Weiß', reason: 'unreachable_type' });
    expect(result.errors[1]).toMatchObject({ code: 'unknown_country', value: 'Atlantis', name: 'Zoë Müller' });
    expect(result.errors[1]!.message).toMatch(/^Unknown country "Atlantis" for Zoë Müller/);
  });

  it('LibreOffice (every text cell quoted, blank row): id and email of two people, an extension', async () => {
    const result = await checkFixture('libreoffice.csv');
    expect(changeLines(result)).toEqual(['4: acme-0104 +12125550104 → +12125550188']);
    expect(result.unchanged).toBe(1);
    expect(result.errors).toEqual([
      { row: 3, message: 'Employee id "acme-0104" and email "jane.doe@acme.test" belong to two different employees.', code: 'id_email_mismatch', value: 'acme-0104', email: 'jane.doe@acme.test' },
      {
        row: 5,
        message: expect.stringMatching(/^Invalid number "\+1 212 555 0100 ext\. 12" for Jürgen Weiß: Remove the extension: a login code cannot reach an extension\./) as unknown as string,
        code: 'invalid_number',
        value: '+1 212 555 0100 ext. 12',
        name: 'Jürgen Weiß',
        reason: 'extension_not_allowed',
      },
    ]);
  });

  it('quoted cells with line breaks and doubled quotes; rows numbered as a spreadsheet shows them; a duplicate row', async () => {
    const result = await checkFixture('quoted-newlines.csv');
    expect(result.table.rows[0]!.cells[1]).toBe('Moved to the\r\nLondon office, "hot desk"');
    expect(changeLines(result)).toEqual(['2: acme-0101 +12125550100 → +442079460000 (landline)', '3: acme-0102 — → +4915123456789']);
    expect(result.errors).toEqual([{ row: 4, message: 'Duplicate row for Zoë Müller: row 3 already has this number (this row is ignored).', code: 'duplicate_same', name: 'Zoë Müller', otherRow: 3 }]);
  });

  it('two rows with different numbers for one employee: neither is applied', async () => {
    const table = await readFixture('excel-utf8-bom.csv');
    table.rows.push({ row: 6, cells: ['acme-0101', 'Jane', 'Doe', 'jane.doe@acme.test', '+1 212 555 0199'] });
    const { checkRows } = await import('../../../../electron/main/import/check');
    const { EMPLOYEES } = await import('./support');
    const result = await checkRows(table, EMPLOYEES, { companyCountry: 'US' });
    expect(result.changes.map((change) => change.employeeId)).toEqual(['acme-0102']);
    expect(result.errors.map((error) => error.row)).toEqual([2, 5, 6]);
    expect(result.errors[0]!.message).toBe('Duplicate row for Jane Doe: row 6 has a different number. Keep one row per employee.');
    expect(result.errors.map(({ code, otherRow }) => [code, otherRow])).toEqual([['duplicate_different', 6], ['unknown_id', undefined], ['duplicate_different', 2]]);
  });

  it('formula injections are data: a neutralised number imports, formulas in number cells are invalid numbers', async () => {
    const result = await checkFixture('formula-injection.csv');
    expect(result.table.rows[0]!.cells[1]).toBe('=HYPERLINK("http://evil.test","click")');
    expect(changeLines(result)).toEqual(['2: acme-0101 +12125550100 → +12125550123']);
    expect(result.errors.map((error) => error.row)).toEqual([3, 4, 5]);
    for (const error of result.errors) expect(error.message).toMatch(/^Invalid number "[=@]/);
  });

  it('a quote that never closes is a clear file problem, not a crash', async () => {
    await expect(readFixture('unclosed-quote.csv')).rejects.toThrow('The file could not be read as CSV: a quoted cell that starts on row 2 never ends (a " is missing).');
    await expect(readFixture('unclosed-quote.csv')).rejects.toMatchObject({ code: 'quote_not_closed', params: { row: 2 } });
  });
});
