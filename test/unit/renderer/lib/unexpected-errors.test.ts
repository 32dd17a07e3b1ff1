import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp, h } from 'vue';
import { notifyUnexpectedError, reportUnexpectedErrors, setUnexpectedErrorNotifier, unexpectedErrorMessage } from '../../../../renderer/lib/unexpected-errors';
import { useNotificationsStore } from '../../../../renderer/stores/notifications';

let unregister: () => void = () => undefined;
/** What main.ts does: the snackbar of the app's Pinia shows the messages. */
function showIn(pinia: Pinia): void {
  unregister = setUnexpectedErrorNotifier((message) => useNotificationsStore(pinia).notify(message, 'error'));
}

afterEach(() => {
  unregister();
  vi.restoreAllMocks();
  setActivePinia(undefined);
  document.body.innerHTML = '';
});

describe('unexpected errors', () => {
  it('words the message mid-sentence, keeping acronyms', () => {
    expect(unexpectedErrorMessage('Signing out')).toBe('Something went wrong while signing out. Try again.');
    expect(unexpectedErrorMessage('IPC setup')).toBe('Something went wrong while IPC setup. Try again.');
  });

  it('notifies nobody (and does not throw) before the app registered its snackbar', () => {
    setActivePinia(createPinia());
    expect(() => notifyUnexpectedError('Loading employees')).not.toThrow();
    expect(useNotificationsStore().queue).toHaveLength(0);
  });

  it('a failing notifier is reported on the console, never thrown', () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    unregister = setUnexpectedErrorNotifier(() => {
      throw new Error('snackbar broken');
    });
    expect(() => notifyUnexpectedError('Loading employees')).not.toThrow();
    expect(consoleError).toHaveBeenCalledWith(expect.objectContaining({ message: 'snackbar broken' }));
  });

  it('an error thrown in a component reaches the console and the snackbar', () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const pinia = createPinia();
    // A functional component that fails to render (plain functions, not component definitions).
    const broken = (): never => {
      throw new Error('render failed');
    };
    const app = createApp(() => h(broken)).use(pinia);
    showIn(pinia);
    reportUnexpectedErrors(app, new EventTarget());
    const root = document.createElement('div');
    document.body.append(root);
    app.mount(root);

    expect(consoleError).toHaveBeenCalledWith(expect.objectContaining({ message: 'render failed' }), expect.stringContaining('render'));
    expect(useNotificationsStore(pinia).current).toMatchObject({ kind: 'error', text: 'Something went wrong while showing this screen. Try again.' });
    app.unmount();
  });

  it('an unhandled rejection shows a message without being swallowed; the listener can be removed', () => {
    const pinia = createPinia();
    const target = new EventTarget();
    showIn(pinia);
    const stop = reportUnexpectedErrors(createApp(() => null), target);
    const event = new Event('unhandledrejection', { cancelable: true });
    target.dispatchEvent(event);

    const notifications = useNotificationsStore(pinia);
    expect(notifications.current).toMatchObject({ kind: 'error', text: 'Something went wrong while working in the background. Try again.' });
    // Not cancelled: the browser still logs "Uncaught (in promise)".
    expect(event.defaultPrevented).toBe(false);

    notifications.clear();
    stop();
    target.dispatchEvent(new Event('unhandledrejection', { cancelable: true }));
    expect(notifications.queue).toHaveLength(0);
  });
});
