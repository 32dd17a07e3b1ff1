import { beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { ok } from '../../../../common/ipc';
import { useConnectionStore } from '../../../../renderer/stores/connection';
import { useNavigationStore } from '../../../../renderer/stores/navigation';
import { createFakePortal } from '../support/fake-portal';
import { setUpPortal, type Harness } from '../support/mount';

let harness: Harness;
beforeEach(() => {
  harness = setUpPortal(createFakePortal());
});

describe('useNavigationStore', () => {
  it('opens Manage Employees when the application menu asks, and stops listening when told', () => {
    const navigation = useNavigationStore();
    const stop = navigation.followMenu();
    expect(navigation.view).toBe('home');
    harness.portal.emitNavigation({ screen: 'manage-employees' });
    expect(navigation.view).toBe('employees');

    navigation.open('home');
    stop();
    harness.portal.emitNavigation({ screen: 'manage-employees' });
    expect(navigation.view).toBe('home');
  });

  it('opens the Outbox when the application menu asks (Ctrl/Cmd+Shift+O)', () => {
    const navigation = useNavigationStore();
    navigation.followMenu();
    harness.portal.emitNavigation({ screen: 'outbox' });
    expect(navigation.view).toBe('outbox');
  });
});

describe('useConnectionStore', () => {
  it('asks main for the state it already knows, since events only tell of changes', async () => {
    harness.portal.api.connection.getState.mockResolvedValue(ok({ state: 'online', checkedAt: '2030-01-01T00:00:00.000Z' }));
    const connection = useConnectionStore();
    connection.start();
    // Its window listeners would outlive the test (the files share one window).
    onTestFinished(() => connection.stop());
    await Promise.resolve();
    await Promise.resolve();
    expect(harness.portal.api.connection.getState).toHaveBeenCalledTimes(1);
    expect(connection.indicator).toBe('online');
  });

  it('does not let the late answer overwrite a newer event', async () => {
    let answer: (value: Awaited<ReturnType<typeof harness.portal.api.connection.getState>>) => void = () => undefined;
    harness.portal.api.connection.getState.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const connection = useConnectionStore();
    connection.start();
    onTestFinished(() => connection.stop());
    harness.portal.emitConnection({ state: 'offline', checkedAt: '2030-01-01T00:00:05.000Z' });
    answer(ok({ state: 'online', checkedAt: '2030-01-01T00:00:00.000Z' }));
    await Promise.resolve();
    await Promise.resolve();
    expect(connection.indicator).toBe('offline');
  });
});
