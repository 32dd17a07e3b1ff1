/**
 * The check (dry run) of one file, as the check worker runs it: decode and parse the file, ask main
 * for the lookups its rows need, read the portal's answers, match the rows and validate their
 * numbers as the answers come in.
 * Main keeps only the packed result. The same code runs on main (over a MessageChannel) when no
 * worker can start.
 */
import { LOOKUP_MAX_KEYS, emailMatchKey, employeeIdSchema, type LookupEmployee } from '../../../common/api';
import { mapColumns } from '../../../common/csv';
import { IpcFailure } from '../../../common/ipc';
import { addToIndex, cellAt, checkRows, type EmployeeIndex } from './check';
import { changeBuffers, packChanges, packList, readLookupAnswer, type AnswerPlace, type FromCheckWorker, type ToCheckWorker } from './check-protocol';
import { decodeCsv } from './decode';
import { ImportFileProblem, readCsv, type CsvTable } from './read-csv';

/** What the job needs of a MessagePort (a worker's parentPort, or one end of a MessageChannel). */
export interface CheckJobPort {
  on(event: 'message', listener: (message: ToCheckWorker) => void): unknown;
  postMessage(message: FromCheckWorker, transfer?: ArrayBuffer[]): void;
}

/** Least time between two progress messages. */
const PROGRESS_EVERY_MS = 50;

/**
 * The lookups a file's rows need: each id and email once, LOOKUP_MAX_KEYS a request (ids first, then
 * emails); and for each row, the requests its id and its email are in (-1: not asked).
 */
export function lookupRequests(table: CsvTable): { bodies: string[]; keyCounts: number[]; idRequest: Int32Array; emailRequest: Int32Array } {
  const columns = mapColumns(table.header);
  const ids = new Map<string, number>();
  const emails = new Map<string, number>();
  const rowIds: (string | null)[] = [];
  const rowEmails: (string | null)[] = [];
  for (const { cells } of table.rows) {
    const id = cellAt(cells, columns.id);
    // Not an id the portal could have: the row is reported unknown without asking.
    const isAsked = id !== '' && employeeIdSchema.safeParse(id).success;
    if (isAsked) ids.set(id, 0);
    rowIds.push(isAsked ? id : null);
    const email = cellAt(cells, columns.email);
    const key = email !== '' && email.length <= 254 ? emailMatchKey(email) : null;
    if (key !== null) emails.set(key, 0);
    rowEmails.push(key);
  }
  const bodies: string[] = [];
  const keyCounts: number[] = [];
  const keys = [...ids.keys(), ...emails.keys()];
  for (let from = 0; from < keys.length; from += LOOKUP_MAX_KEYS) {
    const request = bodies.length;
    const part = { ids: [] as string[], emails: [] as string[] };
    for (let at = from; at < Math.min(from + LOOKUP_MAX_KEYS, keys.length); at++) {
      if (at < ids.size) {
        part.ids.push(keys[at]!);
        ids.set(keys[at]!, request);
      } else {
        part.emails.push(keys[at]!);
        emails.set(keys[at]!, request);
      }
    }
    bodies.push(JSON.stringify(part));
    keyCounts.push(part.ids.length + part.emails.length);
  }
  const idRequest = Int32Array.from(rowIds, (id) => (id === null ? -1 : ids.get(id)!));
  const emailRequest = Int32Array.from(rowEmails, (email) => (email === null ? -1 : emails.get(email)!));
  return { bodies, keyCounts, idRequest, emailRequest };
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
    const { bodies, keyCounts, idRequest, emailRequest } = lookupRequests(table);
    // Each answer is read into the index as it arrives, and the rows it completes are matched and
    // their numbers validated while main waits for the next: little is left once the last is in.
    const index: EmployeeIndex = { byId: new Map(), byEmail: new Map() };
    const isAnswered = new Uint8Array(bodies.length);
    // Each employee's place among the answers (main keeps its own copy of the answers).
    const places = new Map<LookupEmployee, AnswerPlace>();
    let answeredCount = 0;
    let waiting: { request: number; resolve: () => void; reject: (error: unknown) => void } | null = null;
    let failure: unknown = null;
    deliver = (request, answer) => {
      try {
        const employees = readLookupAnswer(new Uint8Array(answer));
        addToIndex(index, employees);
        employees.forEach((employee, item) => places.set(employee, { answer: request, item }));
      } catch (error) {
        failure = error;
        waiting?.reject(error);
        return;
      }
      isAnswered[request] = 1;
      answeredCount += 1;
      if (waiting?.request === request) waiting.resolve();
    };
    const answerOf = (request: number): Promise<void> | null => {
      if (failure !== null) return Promise.reject(failure);
      if (request < 0 || isAnswered[request] === 1) return null;
      return new Promise((resolve, reject) => (waiting = { request, resolve, reject }));
    };
    const rowReady = (row: number): Promise<void> | null => {
      const byId = answerOf(idRequest[row]!);
      if (byId) return byId.then(() => answerOf(emailRequest[row]!) ?? undefined);
      return answerOf(emailRequest[row]!);
    };
    port.postMessage({ type: 'lookups', bodies, keyCounts });
    const checked = await checkRows(table, [], {
      companyCountry,
      live: { index, rowReady },
      // The key is made when main unpacks a change for Apply.
      newKey: () => '',
      // Rows checked after the last answer (before, the lookups are the progress shown).
      onProgress: (done, total) => {
        if (answeredCount === bodies.length) progress('checking_rows', done, total);
      },
    });
    const result = { unchanged: checked.unchanged, changes: packChanges(checked.changes, (employee) => places.get(employee)!), errors: packList(checked.errors) };
    port.postMessage({ type: 'checked', result }, [...changeBuffers(result.changes), result.errors.bytes.buffer as ArrayBuffer, result.errors.ends.buffer as ArrayBuffer]);
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
