import type { App } from 'vue';
import { currentLocale, t } from '../i18n';

/** "Loading employees" → "Something went wrong while loading employees. Try again." */
export function unexpectedErrorMessage(what: string): string {
  // Sentence case in, mid-sentence out; an acronym ("IPC …") keeps its capitals.
  const phrase = /^\p{Lu}\p{Ll}/u.test(what) ? what.charAt(0).toLowerCase() + what.slice(1) : what;
  // What was being done is named in English (the code's own words); other languages say it generally.
  return currentLocale() === 'en' ? `Something went wrong while ${phrase}. Try again.` : t('errors.unexpected');
}

/** Shows a message to the administrator (the app's snackbar). */
export type UnexpectedErrorNotifier = (message: string) => void;

let notifier: UnexpectedErrorNotifier | null = null;

/**
 * Where messages about bugs are shown: the app registers its snackbar once Pinia is installed
 * (main.ts), so this module depends on no store. Returns a function that unregisters it.
 */
export function setUnexpectedErrorNotifier(next: UnexpectedErrorNotifier): () => void {
  notifier = next;
  return () => {
    if (notifier === next) notifier = null;
  };
}

/**
 * Tells the administrator about a bug in plain words, in the app's snackbar (CONVENTIONS 8: nothing
 * reaches only the console). Code can fail before the app registered its snackbar (or in a test
 * without one): then the caller's console report stands alone. Never throws: a failing reporter
 * must not hide the failure it reports.
 */
export function notifyUnexpectedError(what: string): void {
  if (notifier === null) return;
  try {
    notifier(unexpectedErrorMessage(what));
  } catch (error) {
    console.error(error);
  }
}

/** What the app listens on for promises nobody handled (the window; a stand-in in tests). */
export type RejectionTarget = Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

/**
 * Errors that escape everything else: thrown in a component (render, setup, watchers, event
 * handlers: Vue's `errorHandler`) or a promise rejected with no handler. Both still reach the
 * console as before; the administrator also sees a message. Returns a function that stops the
 * window listener.
 */
export function reportUnexpectedErrors(app: App, target: RejectionTarget = window): () => void {
  app.config.errorHandler = (error, _instance, info) => {
    // With an errorHandler set Vue logs nothing itself; keep the console report (as its production
    // build does), with where it happened.
    console.error(error, `(in ${info})`);
    notifyUnexpectedError('showing this screen');
  };
  // Not preventDefault(): the browser still prints "Uncaught (in promise)" with the reason.
  const onRejection = (): void => notifyUnexpectedError('working in the background');
  target.addEventListener('unhandledrejection', onRejection);
  return () => target.removeEventListener('unhandledrejection', onRejection);
}
