import { DOMWrapper, flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ok, type IpcResult } from '../../../../common/ipc';
import type { EmployeeList } from '../../../../common/api';
import App from '../../../../renderer/App.vue';
import ManageEmployeesView from '../../../../renderer/views/ManageEmployeesView.vue';
import { useAuthStore } from '../../../../renderer/stores/auth';
import { useNavigationStore } from '../../../../renderer/stores/navigation';
import { ADMIN, createFakePortal, makeEmployee, signedIn } from '../support/fake-portal';
import { mountWithApp, setUpPortal, settle, type Harness } from '../support/mount';

/*
 * Manage Employees is built ahead, hidden, while the signed-in app is idle: the click that opens it
 * only shows it. Built ahead it loads nothing and shows nothing; shown, it asks for the list in that
 * same update; left, it is taken down as before and built again in idle time.
 */
let harness: Harness;
let unmount: (() => void) | null = null;
/** Idle periods come only when the test says so. */
const idleCallbacks = new Map<number, IdleRequestCallback>();
let nextHandle = 1;

function runIdlePeriods(): void {
  for (let guard = 0; guard < 100 && idleCallbacks.size > 0; guard++) {
    const [handle, callback] = [...idleCallbacks][0]!;
    idleCallbacks.delete(handle);
    callback({ didTimeout: false, timeRemaining: () => 50 });
  }
}

beforeEach(async () => {
  document.body.innerHTML = '';
  idleCallbacks.clear();
  vi.stubGlobal('requestIdleCallback', (callback: IdleRequestCallback) => {
    idleCallbacks.set(nextHandle, callback);
    return nextHandle++;
  });
  vi.stubGlobal('cancelIdleCallback', (handle: number) => idleCallbacks.delete(handle));
  harness = setUpPortal(createFakePortal());
  harness.portal.api.auth.getState.mockResolvedValue(ok(signedIn(ADMIN)));
  const ada = makeEmployee({ id: 'ada', firstName: 'Ada', lastName: 'Lovelace' });
  harness.portal.api.employees.list.mockResolvedValue(ok({ items: [ada], nextCursor: null, total: 1 }));
  await useAuthStore().init();
});
afterEach(() => {
  unmount?.();
  unmount = null;
  vi.unstubAllGlobals();
});

const listCalls = (): number => harness.portal.api.employees.list.mock.calls.length + harness.portal.api.employees.listOffline.mock.calls.length;

async function startOnHome(): Promise<DOMWrapper<Element>> {
  const wrapper = mountWithApp(App, harness);
  unmount = () => wrapper.unmount();
  const page = new DOMWrapper(document.body);
  await vi.waitFor(async () => {
    await settle();
    expect(page.find('[data-testid="sign-out"]').exists()).toBe(true);
  }, { timeout: 20_000 });
  await flushPromises();
  return page;
}

const employeesView = (page: DOMWrapper<Element>) => page.find('.employees');

describe('Manage Employees built ahead while the app is idle', () => {
  it('is built hidden in idle time, asks for nothing, and shows with its list asked for in the update that opens it', async () => {
    const page = await startOnHome();
    expect(employeesView(page).exists()).toBe(false);
    runIdlePeriods();
    await flushPromises();
    expect(employeesView(page).exists()).toBe(true);
    expect(employeesView(page).isVisible()).toBe(false);
    expect(listCalls()).toBe(0);

    const built = employeesView(page).element;
    useNavigationStore().open('employees');
    await flushPromises();
    // The same elements, now shown: nothing was built by the opening.
    expect(employeesView(page).element).toBe(built);
    expect(employeesView(page).isVisible()).toBe(true);
    expect(listCalls()).toBe(1);
    await vi.waitFor(() => expect(page.findAll('.grid__body [role="row"]')).toHaveLength(1), { timeout: 5_000 });
  });

  it('is taken down on leaving (its windows with it) and built again, hidden, in the next idle time', async () => {
    const page = await startOnHome();
    useNavigationStore().open('employees');
    await flushPromises();
    const shown = employeesView(page).element;
    useNavigationStore().open('home');
    await flushPromises();
    expect(employeesView(page).exists()).toBe(false);
    runIdlePeriods();
    await flushPromises();
    expect(employeesView(page).exists()).toBe(true);
    expect(employeesView(page).element).not.toBe(shown);
    expect(employeesView(page).isVisible()).toBe(false);
    expect(listCalls()).toBe(1);
  });
});

describe('ManageEmployeesView built hidden', () => {
  it('asks for the list only once shown', async () => {
    harness.portal.api.employees.list.mockImplementation(() => new Promise<IpcResult<EmployeeList>>(() => undefined));
    const wrapper = mountWithApp(ManageEmployeesView, harness, { props: { isShown: false } });
    await flushPromises();
    expect(listCalls()).toBe(0);
    await wrapper.setProps({ isShown: true });
    expect(listCalls()).toBe(1);
    wrapper.unmount();
  });
});
