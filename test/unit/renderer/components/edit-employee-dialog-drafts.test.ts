import { DOMWrapper, flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Employee } from '../../../../common/api';
import { fail, ok } from '../../../../common/ipc';
import EditEmployeeDialog from '../../../../renderer/components/employees/EditEmployeeDialog.vue';
import { useConnectionStore } from '../../../../renderer/stores/connection';
import { useDraftsStore } from '../../../../renderer/stores/drafts';
import { useEmployeesStore } from '../../../../renderer/stores/employees';
import { NO_DRAFTS, createFakePortal, makeDraft, makeEmployee } from '../support/fake-portal';
import { mountWithApp, setUpPortal, type Harness } from '../support/mount';

let harness: Harness;
let ada: Employee;

beforeEach(async () => {
  document.body.innerHTML = '';
  harness = setUpPortal(createFakePortal());
  ada = makeEmployee({ id: 'ada', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme.test', cellPhone: '+12125550100', version: 7 });
  harness.portal.api.employees.list.mockResolvedValue(ok({ items: [ada], nextCursor: null, total: 1 }));
  await useEmployeesStore().load();
  await useDraftsStore().start();
});

async function open(employee: Employee = ada) {
  const wrapper = mountWithApp(EditEmployeeDialog, harness, { props: { open: true, employee, companyCountry: 'US' } });
  await flushPromises();
  return wrapper;
}

const dialog = () => new DOMWrapper(document.querySelector('[role="dialog"]')!);
const phoneInput = () => dialog().find<HTMLInputElement>('[data-testid="cell-phone-field"] input');
const primaryButton = () => dialog().get('button[type="submit"]');
const buttonNamed = (name: string) => dialog().findAll('button').find((button) => button.text() === name);

async function type(text: string): Promise<void> {
  await phoneInput().setValue(text);
  await flushPromises();
}

describe('Edit Employee with drafts', () => {
  it('while the portal cannot be reached, the primary button is "Save as draft": Enter drafts, nothing goes to the portal', async () => {
    useConnectionStore().portalState = { state: 'offline', checkedAt: null };
    const wrapper = await open();
    expect(primaryButton().text()).toBe('Save as draft');
    expect(buttonNamed('Save Changes')).toBeUndefined();
    await type('+44 20 7946 0000');
    await phoneInput().trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(harness.portal.api.drafts.save).toHaveBeenCalledWith({ employee: ada, cellPhone: '+442079460000' });
    expect(harness.portal.api.employees.update).not.toHaveBeenCalled();
    const done = wrapper.emitted('done') as [{ kind: string; employee: Employee }][];
    expect(done).toHaveLength(1);
    expect(done[0]![0]).toMatchObject({ kind: 'drafted', employee: ada });
  });

  it('an online save that finds the portal unreachable keeps the text, says so and switches to "Save as draft"', async () => {
    const wrapper = await open();
    expect(primaryButton().text()).toBe('Save Changes');
    harness.portal.api.employees.update.mockResolvedValueOnce(fail('offline', 'connect ECONNREFUSED'));
    await type('+44 20 7946 0000');
    await primaryButton().trigger('submit');
    await flushPromises();
    expect(wrapper.emitted('done')).toBeUndefined();
    expect(phoneInput().element.value).toBe('+44 20 7946 0000');
    expect(dialog().get('[data-testid="edit-error"]').text()).toContain('The portal cannot be reached.');
    expect(primaryButton().text()).toBe('Save as draft');

    await primaryButton().trigger('submit');
    await flushPromises();
    expect(harness.portal.api.employees.update).toHaveBeenCalledTimes(1);
    expect(harness.portal.api.drafts.save).toHaveBeenCalledWith({ employee: ada, cellPhone: '+442079460000' });
    expect(wrapper.emitted('done')).toHaveLength(1);
  });

  it('an employee with a draft opens with the draft’s number, a note and "Discard draft"', async () => {
    const draft = makeDraft(ada, { cellPhone: '+442079460000', createdAt: '2030-01-01T10:00:00.000Z' });
    harness.portal.emitDrafts({ ...NO_DRAFTS, drafts: [draft] });
    const wrapper = await open();
    expect(phoneInput().element.value).toBe('+44 20 7946 0000');
    expect(dialog().get('[data-testid="draft-note"]').text()).toContain('Unsynced draft from');
    // Saving updates the draft (online too): it is never bypassed.
    expect(primaryButton().text()).toBe('Save as draft');
    expect(primaryButton().attributes('disabled')).toBeDefined();

    await buttonNamed('Discard draft')!.trigger('click');
    await flushPromises();
    expect(harness.portal.api.drafts.discard).toHaveBeenCalledWith({ id: draft.id });
    expect(wrapper.emitted('done')).toEqual([[{ kind: 'discarded', employee: ada }]]);
  });

  it('Esc still closes, and asks first when a draft number was typed', async () => {
    useConnectionStore().portalState = { state: 'offline', checkedAt: null };
    const wrapper = await open();
    await type('+44 20 7946 0000');
    await phoneInput().trigger('keydown', { key: 'Escape' });
    await flushPromises();
    expect(wrapper.emitted('close')).toBeUndefined();
    expect(dialog().get('[role="alertdialog"]').text()).toContain('Discard your changes?');
    expect(harness.portal.api.drafts.save).not.toHaveBeenCalled();
  });

  it('a draft main cannot write stays open with the message', async () => {
    useConnectionStore().portalState = { state: 'offline', checkedAt: null };
    harness.portal.api.drafts.save.mockResolvedValueOnce(fail('storage', 'ENOSPC'));
    const wrapper = await open();
    await type('+44 20 7946 0000');
    await primaryButton().trigger('submit');
    await flushPromises();
    expect(wrapper.emitted('done')).toBeUndefined();
    expect(dialog().get('[data-testid="edit-error"]').text()).toContain('could not read or write its encrypted files');
  });
});
