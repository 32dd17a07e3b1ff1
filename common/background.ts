/**
 * Starts a task nobody awaits. `what` names what is being done ("Loading employees"); a failure of
 * the task is reported with it, never thrown and never an unhandled rejection.
 */
export type BackgroundRunner = (what: string, task: () => Promise<unknown>) => void;

/** Where a background task's failure goes: main logs it, the renderer tells the administrator. */
export type BackgroundFailureReport = (what: string, error: unknown) => void;

/**
 * The one way to run fire-and-forget work (CONVENTIONS: fire-and-forget goes through one helper),
 * used by main and the renderer alike. The task is started at once; a synchronous throw while
 * starting it is reported like a rejection, so a caller never has to guard the call.
 */
export function backgroundRunner(report: BackgroundFailureReport): BackgroundRunner {
  const reportSafely = (what: string, error: unknown): void => {
    // A failing reporter must not turn the failure it reports into an unhandled one.
    try {
      report(what, error);
    } catch {
      // Nothing left to tell: the reporter itself is what failed.
    }
  };
  return (what, task) => {
    let running: Promise<unknown>;
    try {
      running = task();
    } catch (error) {
      reportSafely(what, error);
      return;
    }
    running.then(
      () => undefined,
      (error: unknown) => reportSafely(what, error),
    );
  };
}
