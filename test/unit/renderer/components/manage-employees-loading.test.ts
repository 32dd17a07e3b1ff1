import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ok, type IpcResult } from '../../../../common/ipc';
import type { EmployeeList } from '../../../../common/api';
import ManageEmployeesView from '../../../../renderer/views/ManageEmployeesView.vue';
import { useAuthStore } from '../../../../renderer/stores/auth';
import { ADMIN, createFakePortal, makeEmployee, signedIn } from '../support/fake-portal';
import { mountWithApp, setUpPortal, type Harness } from '../support/mount';

let harness: Harness;
beforeEach(async () => {
  document.body.innerHTML = '';
  harness = setUpPortal(createFakePortal());
  harness.portal.api.auth.getState.mockResolvedValue(ok(signedIn(ADMIN)));
  await useAuthStore().init();
});

describe('Manage Employees while 100,000 employees load', () => {
  it('asks for the list while the view is being built: its first picture already shows the load', () => {
    harness.portal.api.employees.list.mockImplementation(() => new Promise<IpcResult<EmployeeList>>(() => undefined));
    const wrapper = mountWithApp(ManageEmployeesView, harness);
    // No await: the view's first render, before Vue's next update.
    expect(harness.portal.api.employees.listOffline.mock.calls.length + harness.portal.api.employees.list.mock.calls.length).toBe(1);
    expect(wrapper.find('[data-testid="employees-loading"]').exists()).toBe(true);
    expect(wrapper.get('[role="grid"]').attributes('aria-busy')).toBe('true');
    wrapper.unmount();
  });


  it('the heading gives the portal’s total, never the rows shown so far; the progress line counts the rows', async () => {
    const TOTAL = 100_000;
    let page = 0;
    let releaseThird: (value: IpcResult<EmployeeList>) => void = () => undefined;
    harness.portal.api.employees.list.mockImplementation((input) => {
      page++;
      const size = input.limit ?? 100;
      const start = input.cursor ? Number(input.cursor) : 0;
      const items = Array.from({ length: size }, (_, i) => makeEmployee({ id: `e${start + i}`, lastName: `L${String(start + i).padStart(6, '0')}` }));
      const answer = ok({ items, nextCursor: String(start + size), total: TOTAL });
      // The third page never arrives during this test: the load is in progress.
      return page >= 3 ? new Promise<IpcResult<EmployeeList>>((resolve) => (releaseThird = resolve)) : Promise.resolve(answer);
    });
    const wrapper = mountWithApp(ManageEmployeesView, harness);
    await vi.waitFor(() => expect(wrapper.get('[data-testid="employees-loading"]').text()).toContain('Loading employees… 1,100 of 100,000'), { timeout: 5_000 });
    expect(wrapper.get('[data-testid="employee-count"]').text()).toBe('100,000 employees');
    releaseThird(ok({ items: [], nextCursor: null, total: TOTAL }));
    wrapper.unmount();
  });
});
