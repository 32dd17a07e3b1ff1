/**
 * Writing CSV that is safe to open in a spreadsheet (pure; used by the export in the renderer and
 * by the import's result file in main).
 *
 * Formula injection (OWASP "CSV Injection"): a cell that begins with `=`, `+`, `-`, `@`, a tab or a
 * carriage return can be run as a formula by Excel, LibreOffice or Google Sheets. Such a cell gets
 * a leading single quote, and every cell that needs it is quoted. The same rule covers phone
 * numbers: E.164 begins with `+`, so `+447700900123` is written `'+447700900123`. Spreadsheets
 * show that as text that reads as the number (Excel and LibreOffice hide the quote once the cell is
 * edited; all keep every digit, where an unquoted `+44…` would become 4.477E+11 and lose the `+`).
 * The import removes that one leading quote again, so an exported file imports back unchanged.
 */

const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/** The OWASP-neutralised text of one cell. */
export function neutralizeCell(value: string): string {
  return value.length > 0 && FORMULA_TRIGGERS.has(value[0]!) ? `'${value}` : value;
}

/**
 * Undoes `neutralizeCell` on a cell read back from a file: one leading quote before a formula
 * trigger is dropped (`'+44…` → `+44…`). Other quotes stay (`'Brien` is a name).
 */
export function removeNeutralizingQuote(value: string): string {
  return value.length > 1 && value[0] === "'" && FORMULA_TRIGGERS.has(value[1]!) ? value.slice(1) : value;
}

/** One field, quoted when it holds the delimiter, a quote, a line break or outer spaces. */
export function csvField(value: string, delimiter = ','): string {
  const safe = neutralizeCell(value);
  const needsQuotes = safe.includes(delimiter) || /["\r\n]/.test(safe) || safe !== safe.trim();
  return needsQuotes ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * A whole CSV file: a UTF-8 byte order mark (so Excel reads the names' accents right), a header
 * row, CRLF line ends (RFC 4180).
 */
export function toCsv(header: readonly string[], rows: Iterable<readonly (string | number | null)[]>, delimiter = ','): string {
  const lines = [header.map((cell) => csvField(cell, delimiter)).join(delimiter)];
  for (const row of rows) lines.push(row.map((cell) => csvField(cell === null ? '' : String(cell), delimiter)).join(delimiter));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
