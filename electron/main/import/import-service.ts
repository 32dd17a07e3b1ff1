import type { Employee, EmployeeBatchRequest, EmployeeBatchResponse, LookupEmployee } from '../../../common/api';
import { exportFileName } from '../../../common/csv';
import {
  IMPORT_REPORT_LIMIT,
  IpcFailure,
  type ChannelParsedInput,
  type ImportReport,
  type ImportState,
} from '../../../common/ipc';
import type { ImportActivity, ImportError } from '../../../common/ipc/import-channels';
import type { Logger } from '../log';
import { applyChanges } from './apply';
import type { PlannedChange } from './check';
import { changeCount, packedLength, unpackChanges, unpackRange, type PackedCheck } from './check-protocol';
import { runCheck, startCheckWorker, type CheckRunOptions, type CheckThread } from './check-runner';
import { ImportFileProblem } from './read-csv';
import { importResultCsv } from './result-file';
import { yieldToEventLoop } from './slices';

export { LOOKUP_CONCURRENCY } from './check-runner';

/** A file the admin chose in the native Open dialog (Electron); absent in browser mode. */
export interface ImportFileDialog {
  /** null when the admin cancelled. Throws ImportFileProblem for a file that cannot be read. */
  openCsv(): Promise<{ name: string; bytes: Uint8Array } | null>;
}

export interface ImportServiceOptions {
  /**
   * POST /employees/lookup with this JSON body (at most LOOKUP_MAX_KEYS ids and emails: a check asks
   * only for its rows'); the 2xx answer's bytes, unparsed: the check worker reads them.
   */
  lookupEmployees(body: string): Promise<Uint8Array>;
  sendBatch(items: EmployeeBatchRequest['items']): Promise<EmployeeBatchResponse['results']>;
  saveDraft(employee: LookupEmployee, cellPhone: string): Promise<void>;
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
  /** Where a check runs (default: a check worker thread per check, from checkWorkerFile()). */
  checkWorker?: Pick<CheckRunOptions, 'runIn' | 'workerFile'>;
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

/** A file problem or a failed request as the window words it (a code and its params). */
function problemOf(error: ImportFileProblem | IpcFailure): Pick<ImportState, 'problemCode' | 'problemParams'> {
  return error instanceof ImportFileProblem ? { problemCode: error.code, problemParams: error.params } : { problemCode: 'request_failed', problemParams: { errorCode: error.code } };
}

/**
 * A check's result as main keeps it: the changes and errors packed (see PackedList) until they are
 * needed — the window's first rows, then every change once Apply starts or the result file is saved
 * (unpacked once: each change's idempotency key is made then, and kept).
 */
interface Checked {
  packed: PackedCheck;
  changes: PlannedChange[] | null;
  errors: ImportError[] | null;
  /** The first IMPORT_REPORT_LIMIT of each, read once for the window. */
  report: { changes: PlannedChange[]; errors: ImportError[] } | null;
}

/** Changes read per slice when Apply unpacks them. */
const UNPACK_SLICE = 1000;

async function changesToApply(checked: Checked): Promise<PlannedChange[]> {
  if (checked.changes) return checked.changes;
  const changes: PlannedChange[] = [];
  const total = changeCount(checked.packed.changes);
  const read = new Map<number, LookupEmployee[]>();
  for (let from = 0; from < total; from += UNPACK_SLICE) {
    changes.push(...unpackChanges(checked.packed.changes, from, from + UNPACK_SLICE, read));
    await yieldToEventLoop();
  }
  checked.changes = changes;
  return changes;
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
  let result: Checked | null = null;
  /** A check worker started when the file was chosen, for its check. */
  let nextWorker: Promise<CheckThread | null> | null = null;
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
    // The worker loads its code while the admin looks at the file; Check file then starts at once.
    nextWorker ??= startCheckWorker({ log: options.log, ...options.checkWorker });
    return publish({ ...emptyState(), phase: 'loaded', file: { name, size: content.byteLength } });
  }
  function inBackground(work: () => Promise<void>): void {
    running = work().catch((error: unknown) => {
      options.log.error('import: a background step failed', { error });
      publish({ phase: 'loaded', activity: null, progress: null, problem: 'Something went wrong in Portal Admin. Try again.', problemCode: 'failed', problemParams: {} });
    });
  }

  async function checkFile(content: Uint8Array, companyCountry: string | null): Promise<void> {
    try {
      progress('reading', 0, 1);
      const started = nextWorker ?? undefined;
      nextWorker = null;
      const { result: packed, where } = await runCheck(content, companyCountry, {
        started,
        lookupEmployees: options.lookupEmployees,
        onReading: (reading) => publish({ reading }),
        onProgress: progress,
        log: options.log,
        ...options.checkWorker,
      });
      result = { packed, changes: null, errors: null, report: null };
      const counts = { changes: changeCount(packed.changes), unchanged: packed.unchanged, errors: packedLength(packed.errors) };
      publish({ phase: 'checked', activity: null, progress: null, counts });
      options.log.info('import: checked', { rows: state.reading?.rows ?? 0, changes: counts.changes, errors: counts.errors, where });
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
      inBackground(() => checkFile(content, companyCountry));
      return state;
    },

    getReport() {
      if (!result) return { changes: [], errors: [], totalChanges: 0, totalErrors: 0 };
      const { packed } = result;
      result.report ??= { changes: unpackChanges(packed.changes, 0, IMPORT_REPORT_LIMIT), errors: unpackRange(packed.errors, 0, IMPORT_REPORT_LIMIT) };
      const changes = result.changes ?? result.report.changes;
      // Conflicts and refusals first: they are what the admin has to look at after an apply.
      const order = { conflict: 0, refused: 1, not_sent: 2, drafted: 3, pending: 4, applied: 5 } as const;
      const shown = state.phase === 'applied' ? [...changes].sort((a, b) => order[a.status] - order[b.status] || a.row - b.row) : changes;
      return {
        changes: shown.slice(0, IMPORT_REPORT_LIMIT).map(({ idempotencyKey: _key, employee: _employee, ...change }) => change),
        errors: result.report.errors,
        totalChanges: changeCount(packed.changes),
        totalErrors: packedLength(packed.errors),
      };
    },

    apply() {
      requireIdle();
      if (state.phase !== 'checked' || !result) throw new IpcFailure('validation', 'Check the file first.');
      options.companyCountry(); // still signed in as an admin
      const checked = result;
      const total = changeCount(checked.packed.changes);
      if (total === 0) throw new IpcFailure('validation', 'There is nothing to apply.');
      isCancelRequested = false;
      publish({ phase: 'applying', activity: 'applying', progress: { done: 0, total } });
      inBackground(async () => runApply(await changesToApply(checked)));
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
      const { packed } = result;
      result.changes ??= unpackChanges(packed.changes, 0, changeCount(packed.changes));
      result.errors ??= unpackRange(packed.errors, 0, packedLength(packed.errors));
      return { fileName: exportFileName(new Date(clock()), `${base}-result`), content: importResultCsv(result.changes, result.errors) };
    },

    reset() {
      requireIdle();
      const unused = nextWorker;
      nextWorker = null;
      unused?.then((thread) => thread?.stop()).catch((error: unknown) => options.log.warn('import: an unused check worker did not stop', { error }));
      bytes = null;
      upload = null;
      result = null;
      return publish(emptyState());
    },

    idle: () => running,
  };
}

