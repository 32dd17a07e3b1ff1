import { getActivePinia, type Pinia } from 'pinia';
import type { App } from 'vue';
import { currentLocale, t } from '../i18n';
import { useNotificationsStore } from '../stores/notifications';

/** "Loading employees" → "Something went wrong while loading employees. Try again." */
export function unexpectedErrorMessage(what: string): string {
  // Sentence case in, mid-sentence out; an acronym ("IPC …") keeps its capitals.
  const phrase = /^\p{Lu}\p{Ll}/u.test(what) ? what.charAt(0).toLowerCase() + what.slice(1) : what;
  // What was being done is named in English (the code's own words); other languages say it generally.
  return currentLocale() === 'en' ? `Something went wrong while ${phrase}. Try again.` : t('errors.unexpected');
}

/**
 * Tells the administrator about a bug in plain words, in the app's snackbar (CONVENTIONS 8: nothing
 * reaches only the console). Code can fail before `app.use(pinia)` (or in a test without Pinia):
 * then there is no snackbar to show it in and the caller's console report stands alone. Never
 * throws: a failing reporter must not hide the failure it reports.
 */
export function notifyUnexpectedError(what: string, pinia: Pinia | undefined = getActivePinia()): void {
  if (pinia === undefined) return;
  try {
    useNotificationsStore(pinia).notify(unexpectedErrorMessage(what), 'error');
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
export function reportUnexpectedErrors(app: App, pinia: Pinia, target: RejectionTarget = window): () => void {
  app.config.errorHandler = (error, _instance, info) => {
    // With an errorHandler set Vue logs nothing itself; keep the console report (as its production
    // build does), with where it happened.
    console.error(error, `(in ${info})`);
    notifyUnexpectedError('showing this screen', pinia);
  };
  // Not preventDefault(): the browser still prints "Uncaught (in promise)" with the reason.
  const onRejection = (): void => notifyUnexpectedError('working in the background', pinia);
  target.addEventListener('unhandledrejection', onRejection);
  return () => target.removeEventListener('unhandledrejection', onRejection);
}
