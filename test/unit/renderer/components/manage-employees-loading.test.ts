import { beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeEmployeeRows, ok, type IpcResult } from '../../../../common/ipc';
import type { EmployeeList } from '../../../../common/api';
import ManageEmployeesView from '../../../../renderer/views/ManageEmployeesView.vue';
import { useAuthStore } from '../../../../renderer/stores/auth';
import { useOfflineStore } from '../../../../renderer/stores/offline';
import { ADMIN, createFakePortal, makeEmployee, signedIn } from '../support/fake-portal';
import { mountWithApp, setUpPortal, settle, type Harness } from '../support/mount';

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


  it('with no offline copy kept for this account, the portal’s first page is asked for while the view is being built, without asking main for a copy', () => {
    harness.portal.api.employees.list.mockImplementation(() => new Promise<IpcResult<EmployeeList>>(() => undefined));
    const wrapper = mountWithApp(ManageEmployeesView, harness);
    // No await: the first page is on its way before the view's first render is done.
    expect(harness.portal.api.employees.list).toHaveBeenCalledTimes(1);
    expect(harness.portal.api.employees.list).toHaveBeenCalledWith({ limit: 100, sort: 'name', order: 'asc' });
    expect(harness.portal.api.employees.listOffline).not.toHaveBeenCalled();
    wrapper.unmount();
  });

  it('when this account keeps an offline copy, main is asked for it first, and the portal only once main has no rows in it', async () => {
    useOfflineStore().applyState({ accounts: [{ email: ADMIN.email, asOf: null, isLocked: false }], user: null, asOf: null });
    let answerCopy: (value: Awaited<ReturnType<typeof harness.portal.api.employees.listOffline>>) => void = () => undefined;
    harness.portal.api.employees.listOffline.mockImplementation(() => new Promise((resolve) => (answerCopy = resolve)));
    harness.portal.api.employees.list.mockResolvedValue(ok({ items: [makeEmployee({ id: 'p1' })], nextCursor: null, total: 1 }));
    const wrapper = mountWithApp(ManageEmployeesView, harness);
    expect(harness.portal.api.employees.listOffline).toHaveBeenCalledWith({ offset: 0, limit: 100 });
    expect(harness.portal.api.employees.list).not.toHaveBeenCalled();
    // The copy is empty (signed in with the box ticked, never loaded yet): the portal's list.
    answerCopy(ok({ rows: encodeEmployeeRows([]), total: 0, asOf: null }));
    await vi.waitFor(() => expect(wrapper.findAll('.grid__body [role="row"]')).toHaveLength(1), { timeout: 5_000 });
    expect(harness.portal.api.employees.list).toHaveBeenCalledWith({ limit: 100, sort: 'name', order: 'asc' });
    await settle();
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
