import type { Logger } from '../log';

/**
 * Quitting with the services shut down first (drafts and settings written, a running sync batch
 * and a keychain write finished), whichever way the app is asked to end:
 *
 * - `before-quit` (menu, Cmd+Q, last window closed): held until the services are disposed;
 * - Windows log-off or shutdown: `session-end` on the window, with no `before-quit` after it and no
 *   way to delay the end, so disposing starts at once and gets what time Windows gives;
 * - SIGINT / SIGTERM (Ctrl-C in the terminal of `npm start`, which forwards it): an ordinary quit.
 *   The app usually gets Ctrl-C twice (from the terminal, which signals the whole process group,
 *   and from `npm start`); the second is not a reason to skip the shutdown, whose wait is bounded.
 *
 * Every wait is bounded: a hung portal or keychain must not keep the app from ending.
 */
export interface QuitHandling {
  onBeforeQuit(event: { preventDefault(): void }): void;
  onSessionEnd(): Promise<void>;
  onSignal(): void;
}

export interface QuitDependencies {
  /** The services' dispose, once they exist. */
  dispose: () => (() => Promise<void>) | null;
  /** Electron's `app.quit()` (emits `before-quit` again; this time it passes). */
  quit(): void;
  log: () => Pick<Logger, 'error' | 'info'> | null;
  /** Upper bound on the shutdown (default 5 s). */
  timeoutMs?: number;
}

export function createQuitHandling(dependencies: QuitDependencies): QuitHandling {
  let disposing: Promise<void> | null = null;
  let isDisposed = false;
  let isQuitQueued = false;

  function disposeOnce(): Promise<void> {
    if (!disposing) {
      const dispose = dependencies.dispose();
      const timeoutMs = dependencies.timeoutMs ?? 5_000;
      disposing = dispose
        ? Promise.race([dispose(), new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref())]).catch((error: unknown) => {
            dependencies.log()?.error('Shutting the services down failed', { error });
          })
        : Promise.resolve();
      disposing = disposing.finally(() => {
        isDisposed = true;
      });
    }
    return disposing;
  }

  return {
    onBeforeQuit(event) {
      if (isDisposed || !dependencies.dispose()) return; // shut down already, or nothing started yet
      event.preventDefault();
      if (isQuitQueued) return;
      isQuitQueued = true;
      void disposeOnce().finally(() => dependencies.quit());
    },
    onSessionEnd() {
      dependencies.log()?.info('The session is ending (log-off or shutdown): shutting the services down');
      return disposeOnce();
    },
    onSignal() {
      if (isQuitQueued) return; // already quitting
      dependencies.quit();
    },
  };
}
