import { backgroundRunner, type BackgroundRunner } from '../../common/background';
import { notifyUnexpectedError } from './unexpected-errors';

/**
 * The renderer's background runner. Portal calls never reject (they answer `{ok:false}`), so a
 * failure here is a bug in our own code: it is reported with what was being done, never swallowed,
 * and the administrator is told in the snackbar ("Something went wrong while <what>. Try again.").
 */
export const runInBackground: BackgroundRunner = backgroundRunner((what, error) => {
  const failure = new Error(`${what} failed`, { cause: error });
  // reportError reaches window.onerror (and the devtools console) like an uncaught exception.
  if (typeof globalThis.reportError === 'function') globalThis.reportError(failure);
  else console.error(failure);
  // Guarded inside: this may run before the app registered its snackbar.
  notifyUnexpectedError(what);
});
