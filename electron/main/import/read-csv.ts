import { CsvError, parse } from 'csv-parse';
import { IMPORT_MAX_ROWS, type ImportProblemCode, type ImportProblemParams } from '../../../common/ipc/import-channels';
import { yieldToEventLoop } from './slices';

/** Why a file cannot be read as an import: a code and its params for the window, in English for the log. */
export class ImportFileProblem extends Error {
  override name = 'ImportFileProblem';
  constructor(
    readonly code: ImportProblemCode,
    message: string,
    readonly params: ImportProblemParams = {},
  ) {
    super(message);
  }
}

export interface CsvTable {
  delimiter: ',' | ';' | '\t';
  header: string[];
  /** Data rows; `row` is the row number a spreadsheet shows (the header is row 1). */
  rows: { row: number; cells: string[] }[];
}

const DELIMITERS = [',', ';', '\t'] as const;
/** Characters handed to the parser per slice (a few milliseconds of parsing). */
const SLICE_CHARS = 64 * 1024;

/** Excel writes `sep=;` as a first line when asked to; otherwise the header line tells. */
function detectDelimiter(text: string): { delimiter: CsvTable['delimiter']; skip: number } {
  const sepLine = /^sep=(.)\r?\n/i.exec(text);
  if (sepLine) {
    const named = sepLine[1] as CsvTable['delimiter'];
    if ((DELIMITERS as readonly string[]).includes(named)) return { delimiter: named, skip: sepLine[0].length };
  }
  // Count each candidate outside quotes on the header line (header names may be quoted).
  const counts = new Map<string, number>(DELIMITERS.map((delimiter) => [delimiter, 0]));
  let isQuoted = false;
  for (const char of text.slice(0, 8192)) {
    if (char === '"') isQuoted = !isQuoted;
    else if (!isQuoted && (char === '\n' || char === '\r')) break;
    else if (!isQuoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best: CsvTable['delimiter'] = ',';
  for (const delimiter of DELIMITERS) if (counts.get(delimiter)! > counts.get(best)!) best = delimiter;
  return { delimiter: best, skip: 0 };
}

function parseProblem(error: unknown, rowsRead: number): ImportFileProblem {
  const row = rowsRead + 1;
  if (error instanceof CsvError && error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return new ImportFileProblem('quote_not_closed', `The file could not be read as CSV: a quoted cell that starts on row ${row} never ends (a " is missing).`, { row });
  }
  if (error instanceof CsvError && error.code === 'CSV_INVALID_CLOSING_QUOTE') {
    return new ImportFileProblem('text_after_quote', `The file could not be read as CSV: row ${row} has text right after a closing quote.`, { row });
  }
  return new ImportFileProblem('not_csv', `The file could not be read as CSV (near row ${row}). Save it from the spreadsheet as "CSV" and try again.`, { row });
}

/**
 * Parses CSV text with csv-parse (RFC 4180: quoted cells, doubled quotes, line breaks inside
 * quotes, CRLF / LF / CR) in slices of 64 K characters, yielding to the event loop between them.
 */
export async function readCsv(text: string, options: { maxRows?: number } = {}): Promise<CsvTable> {
  const maxRows = options.maxRows ?? IMPORT_MAX_ROWS;
  const { delimiter, skip } = detectDelimiter(text);
  const records: string[][] = [];
  let failure: unknown = null;
  let isTooLong = false;
  const parser = parse({ delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  parser.on('data', (record: string[]) => {
    if (records.length > maxRows) {
      isTooLong = true;
      return;
    }
    records.push(record);
  });
  parser.on('error', (error) => {
    failure = error;
  });
  const ended = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('error', () => resolve());
  });
  for (let start = skip; start < text.length && failure === null && !isTooLong; start += SLICE_CHARS) {
    parser.write(text.slice(start, start + SLICE_CHARS));
    await yieldToEventLoop();
  }
  parser.end();
  await ended;
  if (failure !== null) throw parseProblem(failure, records.length);
  if (isTooLong || records.length > maxRows + 1) {
    throw new ImportFileProblem('too_many_rows', `The file has more than ${maxRows.toLocaleString('en-US')} rows. Split it into smaller files and import them one after another.`, { max: maxRows });
  }
  const header = records.shift();
  if (!header || header.every((cell) => cell.trim() === '')) throw new ImportFileProblem('no_header', 'The file is empty: it has no header row.');
  const rows: CsvTable['rows'] = [];
  records.forEach((cells, index) => {
    if (cells.every((cell) => cell.trim() === '')) return; // blank rows (`,,,`) say nothing
    rows.push({ row: index + 2, cells });
  });
  return { delimiter, header: header.map((cell) => cell.trim()), rows };
}
