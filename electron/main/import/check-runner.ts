import { performance } from 'node:perf_hooks';
import { MessageChannel, Worker } from 'node:worker_threads';
import { IpcFailure, type IpcErrorCode } from '../../../common/ipc';
import type { ImportActivity, ImportState } from '../../../common/ipc/import-channels';
import type { Logger } from '../log';
import { serveChecks } from './check-job';
import type { FromCheckWorker, PackedCheck, ToCheckWorker } from './check-protocol';
import { checkWorkerFile } from './check-worker-file';
import { mapInLanes } from './lanes';
import { ImportFileProblem } from './read-csv';

/**
 * Lookup requests in flight during a check: the portal reads the next while the last answer is
 * read, and the portal (one event loop) is never left waiting.
 */
export const LOOKUP_CONCURRENCY = 4;

export interface CheckRunOptions {
  /** POST /employees/lookup with this JSON body; the 2xx answer's bytes, unparsed (read in the worker). */
  lookupEmployees(body: string): Promise<Uint8Array>;
  onReading(reading: NonNullable<ImportState['reading']>): void;
  onProgress(activity: ImportActivity, done: number, total: number): void;
  log: Logger;
  /** 'main': run the check's code on main's thread (over a MessageChannel), as when no worker can start. */
  runIn?: 'worker' | 'main';
  /** Where the worker's code is (tests); default: checkWorkerFile(). */
  workerFile?: () => Promise<string | URL>;
}

export interface CheckRun {
  result: PackedCheck;
  /** Where the check ran: 'worker', or 'main' when no worker could start. */
  where: 'worker' | 'main';
}

/** The thread a check runs on, as main sees it. */
export interface CheckThread {
  post(message: ToCheckWorker, transfer?: ArrayBuffer[]): void;
  /** Every message; then, if the thread dies, `onStopped` (once). */
  listen(onMessage: (message: FromCheckWorker) => void, onStopped: (error: Error) => void): void;
  stop(): Promise<void>;
}

function workerThread(worker: Worker): CheckThread {
  // Remembered from the start: a worker started ahead of its check may die before anyone listens.
  let stopped: Error | null = null;
  let tell: (error: Error) => void = () => {};
  const stop = (error: Error) => {
    stopped ??= error;
    tell(error);
  };
  worker.on('error', stop).on('exit', (code) => stop(new Error(`the check worker exited (${code})`)));
  return {
    post: (message, transfer) => worker.postMessage(message, transfer),
    listen(onMessage, onStopped) {
      worker.ref();
      worker.on('message', onMessage);
      tell = onStopped;
      if (stopped) onStopped(stopped);
    },
    stop: async () => {
      await worker.terminate();
    },
  };
}

/** The same check code on main's thread: when no worker can start (a broken build), or in tests. */
function mainThread(): CheckThread {
  const { port1, port2 } = new MessageChannel();
  serveChecks(port2);
  return {
    post: (message, transfer) => port1.postMessage(message, transfer),
    listen(onMessage) {
      port1.on('message', onMessage);
    },
    stop: async () => {
      port1.close();
      port2.close();
    },
  };
}

/** A copy of `bytes` in its own buffer, to transfer (main keeps the file for a re-check). */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  // A copy made here: a Node Buffer's slice() is a view of the same memory (often Node's shared pool),
  // and moving that to the worker would hand it the pool and detach main's bytes.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

/**
 * A file's check in the check worker: main sends the file's bytes, sends the lookups the worker
 * asks for (the token never leaves main) and passes each answer on unparsed; it gets back the counts
 * and the changes and errors packed in buffers. The worker dies → the check fails with a logged
 * error (the file stays loaded); a worker that cannot start → the same check on main's thread.
 */
export async function runCheck(content: Uint8Array, companyCountry: string | null, options: CheckRunOptions & { started?: Promise<CheckThread | null> }): Promise<CheckRun> {
  if (options.runIn !== 'main') {
    const started = await (options.started ?? startCheckWorker(options));
    if (started) return { result: await runOn(started, content, companyCountry, options), where: 'worker' };
  }
  return { result: await runOn(mainThread(), content, companyCountry, options), where: 'main' };
}

/**
 * A check worker once its code has loaded; null (logged) when it could not start, or when checks run
 * on main. Started when a file is chosen, it is ready when Check file is clicked; until then it does
 * not keep the process alive.
 */
export async function startCheckWorker(options: Pick<CheckRunOptions, 'log' | 'runIn' | 'workerFile'>): Promise<CheckThread | null> {
  if (options.runIn === 'main') return null;
  let worker: Worker | null = null;
  const startedAt = performance.now();
  try {
    const started = new Worker(await (options.workerFile ?? checkWorkerFile)());
    worker = started;
    let onMessage: (message: FromCheckWorker) => void = () => {};
    let onExit: (code: number) => void = () => {};
    await new Promise<void>((resolve, reject) => {
      onMessage = (message) => (message.type === 'ready' ? resolve() : reject(new Error(`the check worker said ${message.type} first`)));
      onExit = (code) => reject(new Error(`the check worker exited (${code})`));
      started.on('message', onMessage).on('exit', onExit).once('error', reject);
    }).finally(() => started.off('message', onMessage).off('exit', onExit));
    started.unref();
    options.log.debug('import: the check worker is ready', { ms: Math.round(performance.now() - startedAt) });
    return workerThread(started);
  } catch (error) {
    options.log.warn('import: the check worker could not start; the file is checked on main', { error });
    await worker?.terminate();
    return null;
  }
}

async function runOn(thread: CheckThread, content: Uint8Array, companyCountry: string | null, options: CheckRunOptions): Promise<PackedCheck> {
  let isStopped = false;
  const answers: Uint8Array[] = [];
  try {
    return await new Promise<PackedCheck>((resolve, reject) => {
      const fail = (error: Error) => {
        isStopped = true;
        reject(error);
      };
      const lookUp = async (bodies: string[], keyCounts: number[]) => {
        const keyCount = keyCounts.reduce((sum, count) => sum + count, 0);
        let asked = 0;
        options.onProgress('loading_employees', 0, keyCount);
        await mapInLanes(
          bodies.map((_, index) => index),
          LOOKUP_CONCURRENCY,
          async (index) => {
            // The check failed meanwhile (the worker died, an answer was not understood): send no more.
            if (isStopped) throw new Error('the check stopped');
            const answer = await options.lookupEmployees(bodies[index]!);
            if (isStopped) return;
            // Main keeps the answer as received (Apply reads the changes' employees from it, and
            // nothing writes to it); the worker gets the one copy, moved to it.
            answers[index] = answer;
            const bytes = ownBuffer(answer);
            thread.post({ type: 'answer', index, bytes }, [bytes]);
            asked += keyCounts[index]!;
            options.onProgress('loading_employees', asked, keyCount);
          },
        );
      };
      thread.listen(
        (message) => {
          switch (message.type) {
            case 'reading':
              options.onReading({ encoding: message.encoding, delimiter: message.delimiter, rows: message.rows });
              return;
            case 'lookups':
              lookUp(message.bodies, message.keyCounts).catch((error: unknown) => {
                if (!isStopped) fail(error instanceof Error ? error : new Error(String(error)));
              });
              return;
            case 'progress':
              options.onProgress(message.activity, message.done, message.total);
              return;
            case 'checked':
              resolve({ ...message.result, changes: { ...message.result.changes, answers } });
              return;
            case 'problem':
              fail(message.code === 'request_failed' ? new IpcFailure((message.params.errorCode ?? 'server') as IpcErrorCode, message.message) : new ImportFileProblem(message.code, message.message, message.params));
              return;
            case 'failed':
              fail(new Error(`the check failed: ${message.message}`));
              return;
            case 'ready':
              return;
          }
        },
        (error) => {
          if (!isStopped) fail(error);
        },
      );
      const bytes = ownBuffer(content);
      thread.post({ type: 'check', bytes, companyCountry }, [bytes]);
    });
  } finally {
    isStopped = true;
    await thread.stop();
  }
}
