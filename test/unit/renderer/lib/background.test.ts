import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runInBackground } from '../../../../renderer/lib/background';
import { setUnexpectedErrorNotifier } from '../../../../renderer/lib/unexpected-errors';
import { useNotificationsStore } from '../../../../renderer/stores/notifications';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

let reported: unknown[];
let unregister: () => void;
beforeEach(() => {
  reported = [];
  vi.stubGlobal('reportError', (error: unknown) => reported.push(error));
  // What main.ts does: the app's snackbar (the active Pinia's, when there is one) shows the messages.
  unregister = setUnexpectedErrorNotifier((message) => useNotificationsStore().notify(message, 'error'));
});
afterEach(() => {
  unregister();
  vi.unstubAllGlobals();
  setActivePinia(undefined);
});

describe('runInBackground', () => {
  it('reports a rejection with what was being done and shows a plain message in the snackbar', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const cause = new Error('boom');
    runInBackground('Loading employees', () => Promise.reject(cause));
    await settle();

    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ message: 'Loading employees failed', cause });
    const notifications = useNotificationsStore(pinia);
    expect(notifications.current).toMatchObject({ kind: 'error', text: 'Something went wrong while loading employees. Try again.' });
  });

  it('says nothing for a task that succeeds', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    runInBackground('Signing out', () => Promise.resolve('fine'));
    await settle();
    expect(reported).toHaveLength(0);
    expect(useNotificationsStore(pinia).queue).toHaveLength(0);
  });

  it('still reports, and nothing else fails, before the app registered its snackbar', async () => {
    setActivePinia(undefined);
    unregister();
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    runInBackground('Starting Portal Admin', () => Promise.reject(new Error('too early')));
    await settle();
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ message: 'Starting Portal Admin failed' });
    // No error from a missing snackbar (an unhandled rejection would fail the run too).
    expect(consoleError).not.toHaveBeenCalled();
    consoleError.mockRestore();
  });

  it('reports a task that throws before it returns a promise, and throws nothing itself', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const cause = new Error('not a promise');
    expect(() =>
      runInBackground('Opening the import window', () => {
        throw cause;
      }),
    ).not.toThrow();
    await settle();
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ message: 'Opening the import window failed', cause });
    expect(useNotificationsStore(pinia).current?.text).toBe('Something went wrong while opening the import window. Try again.');
  });

  it('falls back to the console where reportError is missing', async () => {
    vi.stubGlobal('reportError', undefined);
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const pinia = createPinia();
    setActivePinia(pinia);
    runInBackground('Sorting the employee list', () => Promise.reject(new Error('boom')));
    await settle();
    expect(consoleError).toHaveBeenCalledWith(expect.objectContaining({ message: 'Sorting the employee list failed' }));
    expect(useNotificationsStore(pinia).current?.text).toBe('Something went wrong while sorting the employee list. Try again.');
    consoleError.mockRestore();
  });
});
