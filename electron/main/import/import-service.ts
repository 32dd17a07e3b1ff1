import { LOOKUP_MAX_KEYS, emailMatchKey, employeeIdSchema, type Employee, type EmployeeBatchRequest, type EmployeeBatchResponse } from '../../../common/api';
import { mapColumns } from '../../../common/csv';
import { exportFileName } from '../../../common/csv';
import {
  IMPORT_REPORT_LIMIT,
  IpcFailure,
  type ChannelParsedInput,
  type ImportReport,
  type ImportState,
} from '../../../common/ipc';
import type { ImportActivity } from '../../../common/ipc/import-channels';
import type { Logger } from '../log';
import { applyChanges } from './apply';
import { cellAt, checkRows, validateRowNumbers, type CheckResult, type PlannedChange } from './check';
import { decodeCsvInSlices } from './decode';
import { ImportFileProblem, readCsv, type CsvTable } from './read-csv';
import { createPhoneValidator, type PhoneValidator } from './phone-validator';
import { mapInLanes } from './lanes';
import { importResultCsv } from './result-file';
import { createSlicer, yieldToEventLoop } from './slices';

/** A file the admin chose in the native Open dialog (Electron); absent in browser mode. */
export interface ImportFileDialog {
  /** null when the admin cancelled. Throws ImportFileProblem for a file that cannot be read. */
  openCsv(): Promise<{ name: string; bytes: Uint8Array } | null>;
}

export interface ImportServiceOptions {
  /** The employees with any of these ids or emails (at most LOOKUP_MAX_KEYS together): a check asks only for its rows'. */
  lookupEmployees(keys: { ids: string[]; emails: string[] }): Promise<Employee[]>;
  sendBatch(items: EmployeeBatchRequest['items']): Promise<EmployeeBatchResponse['results']>;
  saveDraft(employee: Employee, cellPhone: string): Promise<void>;
  /** The signed-in admin's company country; throws IpcFailure when no admin is signed in. */
  companyCountry(): string | null;
  isOffline(): boolean;
  onApplied(employees: Employee[]): void;
  emit(state: ImportState): void;
  fileDialog?: ImportFileDialog;
  log: Logger;
  clock?: () => number;
  /** Least time between two progress events (default 100 ms). */
  progressEveryMs?: number;
  /** Batches in flight during Apply (default APPLY_CONCURRENCY; the benchmark compares). */
  applyConcurrency?: number;
  /** Validates a check's numbers (default: a phone worker thread per check). */
  createPhoneValidator?: () => PhoneValidator;
}

export interface ImportService {
  getState(): ImportState;
  pickFile(): Promise<{ isAvailable: boolean; state: ImportState }>;
  uploadChunk(input: ChannelParsedInput<'import:upload-chunk'>): ImportState;
  check(): ImportState;
  getReport(): ImportReport;
  apply(): ImportState;
  cancel(): ImportState;
  /** Sudo mode: a step-up code was accepted; the paused apply goes on. */
  continueApply(): ImportState;
  resultFile(): { fileName: string; content: string };
  reset(): ImportState;
  /** Resolves when the running check or apply has finished (tests, benchmarks). */
  idle(): Promise<void>;
}

/**
 * Lookup requests in flight during a check: the portal reads the next while main reads the last
 * answer, and the portal (one event loop) is never left waiting for main.
 */
export const LOOKUP_CONCURRENCY = 4;

/** A file problem or a failed request as the window words it (a code and its params). */
function problemOf(error: ImportFileProblem | IpcFailure): Pick<ImportState, 'problemCode' | 'problemParams'> {
  return error instanceof ImportFileProblem ? { problemCode: error.code, problemParams: error.params } : { problemCode: 'request_failed', problemParams: { errorCode: error.code } };
}

function emptyState(): ImportState {
  return { phase: 'empty', file: null, reading: null, activity: null, progress: null, counts: null, outcome: null, problem: null, problemCode: null, problemParams: {} };
}

/**
 * "Import phone numbers": holds one file at a time, runs its dry run against the portal's current
 * employees and applies the changes. Long work runs in the background in slices; `import:changed`
 * events carry the state.
 */
export function createImportService(options: ImportServiceOptions): ImportService {
  const clock = options.clock ?? Date.now;
  let state = emptyState();
  let bytes: Uint8Array | null = null;
  let upload: { name: string; size: number; buffer: Uint8Array; received: number } | null = null;
  let result: CheckResult | null = null;
  let isCancelRequested = false;
  /** Set while an apply waits for a step-up code: how to answer it. */
  let answerStepUp: ((isConfirmed: boolean) => void) | null = null;
  let running: Promise<void> = Promise.resolve();
  let lastProgressAt = 0;

  function publish(patch: Partial<ImportState>): ImportState {
    state = { ...state, ...patch };
    options.emit(state);
    return state;
  }
  function progress(activity: ImportActivity, done: number, total: number): void {
    const now = clock();
    state = { ...state, activity, progress: { done, total } };
    if (done === total || now - lastProgressAt >= (options.progressEveryMs ?? 100)) {
      lastProgressAt = now;
      options.emit(state);
    }
  }
  function resumeAfterStepUp(isConfirmed: boolean): void {
    const answer = answerStepUp;
    if (!answer) return;
    answerStepUp = null;
    publish({ needsStepUp: false, activity: 'applying' });
    answer(isConfirmed);
  }
  function requireIdle(): void {
    if (state.phase === 'checking' || state.phase === 'applying') {
      throw new IpcFailure('validation', 'Wait until the current check or apply has finished (or cancel it).');
    }
  }
  function load(name: string, content: Uint8Array): ImportState {
    bytes = content;
    result = null;
    return publish({ ...emptyState(), phase: 'loaded', file: { name, size: content.byteLength } });
  }
  function inBackground(work: () => Promise<void>): void {
    running = work().catch((error: unknown) => {
      options.log.error('import: a background step failed', { error });
      publish({ phase: 'loaded', activity: null, progress: null, problem: 'Something went wrong in Portal Admin. Try again.', problemCode: 'failed', problemParams: {} });
    });
  }

  /**
   * The employees the file's rows name, by id or email (each key asked for once), LOOKUP_MAX_KEYS a
   * request and LOOKUP_CONCURRENCY requests in flight; answered in the order the keys were sent.
   */
  async function lookUpRows(table: CsvTable): Promise<Employee[]> {
    const columns = mapColumns(table.header);
    const ids = new Set<string>();
    const emails = new Set<string>();
    const slicer = createSlicer();
    for (const { cells } of table.rows) {
      const pause = slicer.maybeYield();
      if (pause) await pause;
      const id = cellAt(cells, columns.id);
      // Not an id the portal could have: the row is reported unknown without asking.
      if (id !== '' && employeeIdSchema.safeParse(id).success) ids.add(id);
      const email = cellAt(cells, columns.email);
      if (email !== '' && email.length <= 254) emails.add(emailMatchKey(email));
    }
    // Requests of LOOKUP_MAX_KEYS keys: the ids first, then the emails.
    const parts: { ids: string[]; emails: string[] }[] = [];
    const partWithRoom = (): { ids: string[]; emails: string[] } => {
      const last = parts.at(-1);
      if (last && last.ids.length + last.emails.length < LOOKUP_MAX_KEYS) return last;
      const part = { ids: [], emails: [] };
      parts.push(part);
      return part;
    };
    for (const id of ids) partWithRoom().ids.push(id);
    for (const email of emails) partWithRoom().emails.push(email);
    const keyCount = ids.size + emails.size;
    let asked = 0;
    const answers = await mapInLanes(parts, LOOKUP_CONCURRENCY, async (part) => {
      const found = await options.lookupEmployees(part);
      asked += part.ids.length + part.emails.length;
      progress('loading_employees', asked, keyCount);
      return found;
    });
    // One employee named by id in one request and by email in another comes back twice: keep one.
    return [...new Map(answers.flat().map((employee) => [employee.id, employee])).values()];
  }

  async function runCheck(content: Uint8Array, companyCountry: string | null): Promise<void> {
    try {
      progress('reading', 0, 1);
      const { text, encoding } = await decodeCsvInSlices(content, yieldToEventLoop);
      const table = await readCsv(text);
      publish({ reading: { encoding, delimiter: table.delimiter, rows: table.rows.length } });
      // The numbers are validated in the phone worker while the employees load from the portal.
      const validator = options.createPhoneValidator?.() ?? createPhoneValidator({ log: options.log });
      let checked: CheckResult;
      try {
        const [phoneResults, employees] = await Promise.all([
          validateRowNumbers(table, companyCountry, validator),
          lookUpRows(table),
        ]);
        checked = await checkRows(table, employees, {
          companyCountry,
          phoneResults,
          onProgress: (done, total) => progress('checking_rows', done, total),
        });
      } finally {
        await validator.dispose();
      }
      result = checked;
      publish({
        phase: 'checked',
        activity: null,
        progress: null,
        counts: { changes: checked.changes.length, unchanged: checked.unchanged, errors: checked.errors.length },
      });
      options.log.info('import: checked', { rows: table.rows.length, changes: checked.changes.length, errors: checked.errors.length });
    } catch (error) {
      if (error instanceof ImportFileProblem || error instanceof IpcFailure) {
        publish({ phase: 'loaded', activity: null, progress: null, problem: error.message, ...problemOf(error) });
        return;
      }
      throw error;
    }
  }

  async function runApply(changes: PlannedChange[]): Promise<void> {
    const outcome = await applyChanges(changes, {
      sendBatch: (items) => (options.isOffline() ? Promise.reject(new IpcFailure('offline', 'The portal cannot be reached.')) : options.sendBatch(items)),
      saveDraft: (change) => options.saveDraft(change.employee, change.newPhone),
      isCancelled: () => isCancelRequested,
      onProgress: (done, total) => progress('applying', done, total),
      onApplied: (employees) => options.onApplied(employees),
      concurrency: options.applyConcurrency,
      confirmStepUp: () =>
        new Promise<boolean>((resolve) => {
          if (isCancelRequested) return resolve(false);
          answerStepUp = resolve;
          publish({ needsStepUp: true, activity: 'waiting_for_code' });
        }),
    });
    options.log.info('import: applied', { ...outcome });
    publish({ phase: 'applied', activity: null, progress: null, outcome, needsStepUp: false });
  }

  return {
    getState: () => state,

    async pickFile() {
      if (!options.fileDialog) return { isAvailable: false, state };
      requireIdle();
      try {
        const picked = await options.fileDialog.openCsv();
        return { isAvailable: true, state: picked ? load(picked.name, picked.bytes) : state };
      } catch (error) {
        if (error instanceof ImportFileProblem) return { isAvailable: true, state: publish({ ...emptyState(), problem: error.message, ...problemOf(error) }) };
        throw error;
      }
    },

    uploadChunk(input) {
      requireIdle();
      const data = Buffer.from(input.data, 'base64');
      if (input.offset === 0) upload = { name: input.name, size: input.size, buffer: new Uint8Array(input.size), received: 0 };
      if (!upload || upload.name !== input.name || upload.size !== input.size || upload.received !== input.offset || input.offset + data.byteLength > upload.size) {
        upload = null;
        throw new IpcFailure('invalid_input', 'The file arrived out of order. Choose it again.');
      }
      upload.buffer.set(data, input.offset);
      upload.received += data.byteLength;
      if (upload.received < upload.size) return state;
      const done = upload;
      upload = null;
      return load(done.name, done.buffer);
    },

    check() {
      requireIdle();
      if (!bytes) throw new IpcFailure('validation', 'Choose a file first.');
      const companyCountry = options.companyCountry();
      const content = bytes;
      result = null;
      publish({ phase: 'checking', problem: null, problemCode: null, problemParams: {}, counts: null, outcome: null, activity: 'reading', progress: { done: 0, total: 1 } });
      inBackground(() => runCheck(content, companyCountry));
      return state;
    },

    getReport() {
      const changes = result?.changes ?? [];
      const errors = result?.errors ?? [];
      // Conflicts and refusals first: they are what the admin has to look at after an apply.
      const order = { conflict: 0, refused: 1, not_sent: 2, drafted: 3, pending: 4, applied: 5 } as const;
      const shown = state.phase === 'applied' ? [...changes].sort((a, b) => order[a.status] - order[b.status] || a.row - b.row) : changes;
      return {
        changes: shown.slice(0, IMPORT_REPORT_LIMIT).map(({ idempotencyKey: _key, employee: _employee, ...change }) => change),
        errors: errors.slice(0, IMPORT_REPORT_LIMIT),
        totalChanges: changes.length,
        totalErrors: errors.length,
      };
    },

    apply() {
      requireIdle();
      if (state.phase !== 'checked' || !result) throw new IpcFailure('validation', 'Check the file first.');
      options.companyCountry(); // still signed in as an admin
      const changes = result.changes;
      if (changes.length === 0) throw new IpcFailure('validation', 'There is nothing to apply.');
      isCancelRequested = false;
      publish({ phase: 'applying', activity: 'applying', progress: { done: 0, total: changes.length } });
      inBackground(() => runApply(changes));
      return state;
    },

    cancel() {
      if (state.phase === 'applying') isCancelRequested = true;
      resumeAfterStepUp(false);
      return state;
    },

    continueApply() {
      if (state.phase !== 'applying' || !answerStepUp) throw new IpcFailure('validation', 'Nothing is waiting for a code.');
      resumeAfterStepUp(true);
      return state;
    },

    resultFile() {
      if (!result) throw new IpcFailure('validation', 'Check a file first.');
      const base = state.file?.name.replace(/\.[^.]*$/, '') ?? 'import';
      return { fileName: exportFileName(new Date(clock()), `${base}-result`), content: importResultCsv(result.changes, result.errors) };
    },

    reset() {
      requireIdle();
      bytes = null;
      upload = null;
      result = null;
      return publish(emptyState());
    },

    idle: () => running,
  };
}

