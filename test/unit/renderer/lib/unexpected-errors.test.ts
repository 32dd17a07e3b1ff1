import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp, h } from 'vue';
import { notifyUnexpectedError, reportUnexpectedErrors, unexpectedErrorMessage } from '../../../../renderer/lib/unexpected-errors';
import { useNotificationsStore } from '../../../../renderer/stores/notifications';

afterEach(() => {
  vi.restoreAllMocks();
  setActivePinia(undefined);
  document.body.innerHTML = '';
});

describe('unexpected errors', () => {
  it('words the message mid-sentence, keeping acronyms', () => {
    expect(unexpectedErrorMessage('Signing out')).toBe('Something went wrong while signing out. Try again.');
    expect(unexpectedErrorMessage('IPC setup')).toBe('Something went wrong while IPC setup. Try again.');
  });

  it('notifies nobody (and does not throw) without Pinia', () => {
    setActivePinia(undefined);
    expect(() => notifyUnexpectedError('Loading employees')).not.toThrow();
  });

  it('an error thrown in a component reaches the console and the snackbar', () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const pinia = createPinia();
    // A functional component that fails to render (plain functions, not component definitions).
    const broken = (): never => {
      throw new Error('render failed');
    };
    const app = createApp(() => h(broken)).use(pinia);
    reportUnexpectedErrors(app, pinia, new EventTarget());
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
    const stop = reportUnexpectedErrors(createApp(() => null), pinia, target);
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
