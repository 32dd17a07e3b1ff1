import { DOMWrapper, flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Employee } from '../../../../common/api';
import { fail, ok } from '../../../../common/ipc';
import EditEmployeeDialog from '../../../../renderer/components/employees/EditEmployeeDialog.vue';
import { finishedMessage } from '../../../../renderer/composables/use-edit-dialog';
import { useConnectionStore } from '../../../../renderer/stores/connection';
import { useEmployeesStore } from '../../../../renderer/stores/employees';
import { createFakePortal, makeEmployee } from '../support/fake-portal';
import { mountWithApp, setUpPortal, type Harness } from '../support/mount';

let harness: Harness;
let ada: Employee;

beforeEach(async () => {
  document.body.innerHTML = '';
  harness = setUpPortal(createFakePortal());
  ada = makeEmployee({
    id: 'ada',
    firstName: 'Ada',
    lastName: 'Lovelace',
    role: 'tech',
    cellPhone: '+12125550100',
    version: 7,
    twoFactor: { status: 'active', method: 'sms' },
  });
  harness.portal.api.employees.list.mockResolvedValue(ok({ items: [ada], nextCursor: null, total: 1 }));
  await useEmployeesStore().load();
});

async function open(employee: Employee = ada) {
  const wrapper = mountWithApp(EditEmployeeDialog, harness, { props: { open: true, employee, companyCountry: 'US' } });
  await flushPromises();
  return wrapper;
}
const dialog = () => new DOMWrapper(document.querySelector('[role="dialog"]')!);
const buttonNamed = (name: string) => dialog().findAll('button').find((button) => button.text() === name);
const phoneInput = () => dialog().find<HTMLInputElement>('[data-testid="cell-phone-field"] input');

describe('Edit Employee: Remove number', () => {
  it('asks first, saying what it means for the sign-in, then sends cellPhone null and reports the removal', async () => {
    const wrapper = await open();
    const removed = { ...ada, cellPhone: null, version: 8 };
    harness.portal.api.employees.update.mockResolvedValueOnce(ok(removed));
    await buttonNamed('Remove number')!.trigger('click');
    await flushPromises();
    const confirm = dialog().find('[data-testid="remove-number-confirm"]');
    expect(confirm.attributes('role')).toBe('alertdialog');
    expect(confirm.text()).toContain('Remove Ada Lovelace’s number (+1 212 555 0100)?');
    expect(confirm.text()).toContain('Ada gets sign-in codes on this number. Without a number, Ada cannot sign in to the portal');
    expect(harness.portal.api.employees.update).not.toHaveBeenCalled();
    // The confirmation's first button keeps the number and has the focus.
    expect(document.activeElement?.textContent?.trim()).toBe('Keep the number');

    const buttons = confirm.findAll('button');
    await buttons.find((button) => button.text() === 'Remove number')!.trigger('click');
    await flushPromises();
    expect(harness.portal.api.employees.update).toHaveBeenCalledWith(expect.objectContaining({ id: 'ada', version: 7, cellPhone: null }));
    expect(wrapper.emitted('done')?.[0]?.[0]).toMatchObject({ kind: 'removed', employee: { cellPhone: null } });
    expect(useEmployeesStore().findById('ada')?.cellPhone).toBeNull();
    expect(finishedMessage({ kind: 'removed', employee: removed })).toBe('Removed Ada Lovelace’s cell phone number. The employee list shows “No number”.');
  });

  it('"Keep the number" (or Esc) sends nothing and leaves the window open', async () => {
    const wrapper = await open();
    await buttonNamed('Remove number')!.trigger('click');
    await flushPromises();
    await buttonNamed('Keep the number')!.trigger('click');
    await flushPromises();
    expect(dialog().find('[data-testid="remove-number-confirm"]').exists()).toBe(false);
    await buttonNamed('Remove number')!.trigger('click');
    await flushPromises();
    await dialog().find('[data-testid="remove-number-confirm"]').trigger('keydown', { key: 'Escape' });
    await flushPromises();
    expect(dialog().find('[data-testid="remove-number-confirm"]').exists()).toBe(false);
    expect(wrapper.emitted('close')).toBeUndefined();
    expect(harness.portal.api.employees.update).not.toHaveBeenCalled();
  });

  it('an authenticator-app user keeps signing in; the confirmation says so', async () => {
    await open({ ...ada, twoFactor: { status: 'active', method: 'totp' } });
    await buttonNamed('Remove number')!.trigger('click');
    await flushPromises();
    expect(dialog().find('[data-testid="remove-number-confirm"]').text()).toContain('Ada signs in with an authenticator app, so Ada’s sign-in keeps working.');
  });

  it('an emptied field explains how a number is removed; no Remove number without a number', async () => {
    await open();
    await phoneInput().setValue('');
    await flushPromises();
    expect(dialog().find('[data-testid="remove-number-hint"]').text()).toBe('An empty field is not saved. To take the number away, use Remove number.');
    document.body.innerHTML = '';
    await open({ ...ada, cellPhone: null });
    expect(buttonNamed('Remove number')).toBeUndefined();
  });

  it('is not offered as a draft: with the portal unreachable the button is off and says why', async () => {
    useConnectionStore().portalState = { state: 'offline', checkedAt: null };
    await open();
    expect(buttonNamed('Remove number')!.attributes('disabled')).toBeDefined();
    expect(dialog().text()).toContain('Removing a number needs the portal: it cannot be saved as a draft.');
  });

  it('keeps the number on record in view while typing', async () => {
    await open();
    await phoneInput().setValue('+44 7400 1');
    await flushPromises();
    expect(dialog().find('[data-testid="on-record"]').text()).toBe('On record: +1 212 555 0100');
  });

  it('a conflict met by the removal offers to remove from the portal’s current version', async () => {
    await open();
    const theirs = { ...ada, cellPhone: '+12125550111', version: 9 };
    harness.portal.api.employees.update.mockResolvedValueOnce(fail('conflict', 'changed', { current: theirs }));
    harness.portal.api.employees.update.mockResolvedValueOnce(ok({ ...theirs, cellPhone: null, version: 10 }));
    await buttonNamed('Remove number')!.trigger('click');
    await flushPromises();
    await dialog().find('[data-testid="remove-number-confirm"]').findAll('button').find((button) => button.text() === 'Remove number')!.trigger('click');
    await flushPromises();
    const panel = dialog().find('[data-testid="conflict-panel"]');
    expect(panel.text()).toContain('No number');
    const applyMine = panel.findAll('button').find((button) => /mine/i.test(button.text()))!;
    await applyMine.trigger('click');
    await flushPromises();
    expect(harness.portal.api.employees.update).toHaveBeenLastCalledWith(expect.objectContaining({ id: 'ada', version: 9, cellPhone: null }));
  });
});
