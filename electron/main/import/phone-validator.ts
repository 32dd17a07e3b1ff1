import { Worker } from 'node:worker_threads';
import { validatePhone, type PhoneResult } from '../../../common/phone';
import type { Logger } from '../log';
import { compactPhoneResult, type PhoneSliceRequest, type PhoneSliceResponse } from './phone-slices';
import { mapInLanes } from './lanes';
import { phoneWorkerFile } from './phone-worker-file';
import { createSlicer } from './slices';

export type PhoneToCheck = readonly [raw: string, region: string | null];

/** Validates many numbers with the phone rules, off main's event loop. */
export interface PhoneValidator {
  /** One result per number, in order. */
  validate(numbers: readonly PhoneToCheck[]): Promise<PhoneResult[]>;
  /** Where the numbers were validated: 'worker', or 'main' (in slices) if no worker could start. */
  readonly where: 'worker' | 'main';
  dispose(): Promise<void>;
}

export interface PhoneValidatorOptions {
  log: Logger;
  /** Numbers per message to the worker (a few milliseconds of work each). */
  sliceSize?: number;
  /** Slices sent ahead of the answers. */
  inFlight?: number;
  /** Where the worker's code is (tests); default: phoneWorkerFile(). */
  workerFile?: () => Promise<string | URL>;
}

/** The same rules on main's thread, in slices that yield: used only when no worker could start. */
async function validateOnMain(numbers: readonly PhoneToCheck[]): Promise<PhoneResult[]> {
  const slicer = createSlicer();
  const results: PhoneResult[] = [];
  for (const [raw, region] of numbers) {
    const pause = slicer.maybeYield();
    if (pause) await pause;
    results.push(compactPhoneResult(validatePhone(raw, region)));
  }
  return results;
}

/**
 * A worker_threads Worker that runs libphonenumber-js over slices of numbers; main only posts
 * slices and copies answers back (well under a millisecond each), so a 100,000-row check never
 * stalls the event loop on number rules. If the worker cannot start (a broken build), the check
 * still works: the numbers are validated on main in slices, and the failure is logged.
 */
export function createPhoneValidator(options: PhoneValidatorOptions): PhoneValidator {
  const sliceSize = options.sliceSize ?? 1000;
  const inFlight = options.inFlight ?? 4;
  let worker: Promise<Worker | null> | null = null;
  let where: 'worker' | 'main' = 'worker';
  let isDisposed = false;
  let nextId = 0;
  const waiting = new Map<number, { resolve: (results: PhoneResult[]) => void; reject: (error: Error) => void }>();

  function failAll(error: Error): void {
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
  }

  function start(): Promise<Worker | null> {
    worker ??= (async () => {
      try {
        const started = new Worker(await (options.workerFile ?? phoneWorkerFile)());
        started.on('message', (response: PhoneSliceResponse) => {
          const pending = waiting.get(response.id);
          waiting.delete(response.id);
          pending?.resolve(response.results);
        });
        started.on('error', (error) => {
          options.log.warn('import: the phone worker failed', { error });
          failAll(error);
        });
        started.on('exit', (code) => {
          if (waiting.size > 0) failAll(new Error(`the phone worker exited (${code})`));
        });
        return started;
      } catch (error) {
        options.log.warn('import: the phone worker could not start; numbers are checked on main', { error });
        return null;
      }
    })();
    return worker;
  }

  function send(running: Worker, numbers: readonly PhoneToCheck[]): Promise<PhoneResult[]> {
    return new Promise((resolve, reject) => {
      const id = ++nextId;
      waiting.set(id, { resolve, reject });
      running.postMessage({ id, numbers } satisfies PhoneSliceRequest);
    });
  }

  return {
    get where() {
      return where;
    },

    async validate(numbers) {
      const running = await start();
      if (!running) {
        where = 'main';
        return validateOnMain(numbers);
      }
      const slices: (readonly PhoneToCheck[])[] = [];
      for (let from = 0; from < numbers.length; from += sliceSize) slices.push(numbers.slice(from, from + sliceSize));
      try {
        // A few slices ahead: the worker never waits for main, and main copies one small answer at a time.
        return (await mapInLanes(slices, inFlight, (slice) => send(running, slice))).flat();
      } catch (error) {
        if (isDisposed) throw error;
        options.log.warn('import: the phone worker stopped; numbers are checked on main', { error });
        worker = Promise.resolve(null);
        where = 'main';
        return validateOnMain(numbers);
      }
    },

    async dispose() {
      isDisposed = true;
      const running = await worker;
      worker = null;
      if (running) await running.terminate();
    },
  };
}
