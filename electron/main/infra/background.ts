import type { Logger } from '../log';

/**
 * The one way to start a promise nobody awaits: its failure is logged, never an unhandled
 * rejection (which would end the main process).
 */
export function runInBackground(log: Logger, what: string, task: () => Promise<unknown>): void {
  let promise: Promise<unknown>;
  try {
    promise = task();
  } catch (error) {
    log.warn(`${what} failed`, { error });
    return;
  }
  promise.then(
    () => undefined,
    (error: unknown) => log.warn(`${what} failed`, { error }),
  );
}

export function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds).unref());
}
