/**
 * The check (dry run) of one file, as the check worker runs it: decode and parse the file, ask main
 * for the lookups its rows need, read the portal's answers, validate the numbers, match the rows.
 * Main keeps only the packed result. The same code runs on main (over a MessageChannel) when no
 * worker can start.
 */
import { LOOKUP_MAX_KEYS, emailMatchKey, employeeIdSchema, employeeLookupSchema, type Employee } from '../../../common/api';
import { mapColumns } from '../../../common/csv';
import { IpcFailure } from '../../../common/ipc';
import { validatePhone, type PhoneResult } from '../../../common/phone';
import { MESSAGES } from '../infra/portal-errors';
import { cellAt, checkRows, validateRowNumbers, type PhoneToCheck } from './check';
import { packList, type FromCheckWorker, type ToCheckWorker } from './check-protocol';
import { decodeCsv } from './decode';
import { ImportFileProblem, readCsv, type CsvTable } from './read-csv';
import { createSlicer } from './slices';

/** What the job needs of a MessagePort (a worker's parentPort, or one end of a MessageChannel). */
export interface CheckJobPort {
  on(event: 'message', listener: (message: ToCheckWorker) => void): unknown;
  postMessage(message: FromCheckWorker, transfer?: ArrayBuffer[]): void;
}

/** Least time between two progress messages. */
const PROGRESS_EVERY_MS = 50;

/** The lookups a file's rows need: each id and email once, LOOKUP_MAX_KEYS a request (ids first, then emails). */
export function lookupRequests(table: CsvTable): { bodies: string[]; keyCounts: number[] } {
  const columns = mapColumns(table.header);
  const ids = new Set<string>();
  const emails = new Set<string>();
  for (const { cells } of table.rows) {
    const id = cellAt(cells, columns.id);
    // Not an id the portal could have: the row is reported unknown without asking.
    if (id !== '' && employeeIdSchema.safeParse(id).success) ids.add(id);
    const email = cellAt(cells, columns.email);
    if (email !== '' && email.length <= 254) emails.add(emailMatchKey(email));
  }
  const keys = [...[...ids].map((id) => ['id', id] as const), ...[...emails].map((email) => ['email', email] as const)];
  const bodies: string[] = [];
  const keyCounts: number[] = [];
  for (let from = 0; from < keys.length; from += LOOKUP_MAX_KEYS) {
    const part = keys.slice(from, from + LOOKUP_MAX_KEYS);
    bodies.push(JSON.stringify({ ids: part.filter(([kind]) => kind === 'id').map(([, key]) => key), emails: part.filter(([kind]) => kind === 'email').map(([, key]) => key) }));
    keyCounts.push(part.length);
  }
  return { bodies, keyCounts };
}

/** The employees in one lookup answer; an answer that is not what the portal sends is a `server` failure. */
export function readLookupAnswer(bytes: ArrayBuffer): Employee[] {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    body = undefined;
  }
  const parsed = employeeLookupSchema.safeParse(body);
  if (!parsed.success) throw new IpcFailure('server', MESSAGES.not_understood);
  return parsed.data.items;
}

/** The phone rules in slices that let the port's messages (the lookup answers) in between. */
async function validateInSlices(numbers: readonly PhoneToCheck[]): Promise<PhoneResult[]> {
  const slicer = createSlicer();
  const results: PhoneResult[] = [];
  for (const [raw, region] of numbers) {
    const pause = slicer.maybeYield();
    if (pause) await pause;
    results.push(validatePhone(raw, region));
  }
  return results;
}

/** Answers `check` messages on `port` (one check at a time; a worker serves one check). */
export function serveChecks(port: CheckJobPort): void {
  let deliver: ((index: number, bytes: ArrayBuffer) => void) | null = null;
  let lastProgressAt = 0;
  const progress = (activity: 'checking_rows', done: number, total: number) => {
    const now = Date.now();
    if (done !== total && now - lastProgressAt < PROGRESS_EVERY_MS) return;
    lastProgressAt = now;
    port.postMessage({ type: 'progress', activity, done, total });
  };

  async function check(bytes: ArrayBuffer, companyCountry: string | null): Promise<void> {
    const { text, encoding } = decodeCsv(new Uint8Array(bytes));
    const table = await readCsv(text);
    port.postMessage({ type: 'reading', encoding, delimiter: table.delimiter, rows: table.rows.length });
    const { bodies, keyCounts } = lookupRequests(table);
    // Each answer is read as it arrives; the numbers are validated while main waits for the portal.
    const answers = new Array<Employee[]>(bodies.length);
    const answered = new Promise<void>((resolve, reject) => {
      let count = 0;
      if (bodies.length === 0) resolve();
      deliver = (index, answer) => {
        try {
          answers[index] = readLookupAnswer(answer);
        } catch (error) {
          reject(error);
          return;
        }
        if (++count === bodies.length) resolve();
      };
    });
    port.postMessage({ type: 'lookups', bodies, keyCounts });
    const [phoneResults] = await Promise.all([validateRowNumbers(table, companyCountry, validateInSlices), answered]);
    // One employee named by id in one request and by email in another comes back twice: keep one.
    const employees = [...new Map(answers.flat().map((employee) => [employee.id, employee])).values()];
    const checked = await checkRows(table, employees, { companyCountry, phoneResults, onProgress: (done, total) => progress('checking_rows', done, total) });
    const result = { unchanged: checked.unchanged, changes: packList(checked.changes), errors: packList(checked.errors) };
    port.postMessage({ type: 'checked', result }, [result.changes.bytes.buffer as ArrayBuffer, result.changes.ends.buffer as ArrayBuffer, result.errors.bytes.buffer as ArrayBuffer, result.errors.ends.buffer as ArrayBuffer]);
  }

  port.on('message', (message) => {
    if (message.type === 'answer') {
      deliver?.(message.index, message.bytes);
      return;
    }
    check(message.bytes, message.companyCountry).catch((error: unknown) => {
      if (error instanceof ImportFileProblem) port.postMessage({ type: 'problem', code: error.code, message: error.message, params: error.params });
      else if (error instanceof IpcFailure) port.postMessage({ type: 'problem', code: 'request_failed', message: error.message, params: { errorCode: error.code } });
      else port.postMessage({ type: 'failed', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    });
  });
}
