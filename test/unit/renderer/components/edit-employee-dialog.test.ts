import { DOMWrapper, flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Employee } from '../../../../common/api';
import { fail, ok, type IpcResult } from '../../../../common/ipc';
import { explainPhoneRefusal, phoneMessage } from '../../../../common/phone';
import EditEmployeeDialog from '../../../../renderer/components/employees/EditEmployeeDialog.vue';
import { useEmployeesStore } from '../../../../renderer/stores/employees';
import { createFakePortal, makeEmployee } from '../support/fake-portal';
import { mountWithApp, setUpPortal, type Harness } from '../support/mount';

let harness: Harness;
let ada: Employee;

beforeEach(async () => {
  document.body.innerHTML = '';
  harness = setUpPortal(createFakePortal());
  ada = makeEmployee({ id: 'ada', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme.test', role: 'tech', cellPhone: '+12125550100', version: 7 });
  harness.portal.api.employees.list.mockResolvedValue(ok({ items: [ada], nextCursor: null, total: 1 }));
  await useEmployeesStore().load();
});

async function open(employee: Employee = ada) {
  const wrapper = mountWithApp(EditEmployeeDialog, harness, { props: { open: true, employee, companyCountry: 'US' } });
  await flushPromises();
  return wrapper;
}

const dialog = () => new DOMWrapper(document.querySelector('[role="dialog"]')!);
const phoneInput = () => dialog().find<HTMLInputElement>('[data-testid="cell-phone-field"] input');
const saveButton = () => dialog().findAll('button').find((button) => button.text() === 'Save Changes')!;
const buttonNamed = (name: string) => dialog().findAll('button').find((button) => button.text() === name);

async function type(text: string): Promise<void> {
  await phoneInput().setValue(text);
  await flushPromises();
}

async function press(key: string): Promise<void> {
  await phoneInput().trigger('keydown', { key });
  await flushPromises();
}

describe('Edit Employee', () => {
  it('shows the employee and the number on record, with Save Changes disabled until something valid and different is typed', async () => {
    await open();
    expect(dialog().attributes('aria-labelledby')).toBe('edit-employee-title');
    expect(dialog().find('#edit-employee-title').text()).toBe('Edit Employee');
    expect(dialog().text()).toContain('Ada Lovelace');
    expect(dialog().text()).toContain('ada@acme.test');
    expect(dialog().text()).toContain('Technician');
    expect(phoneInput().element.value).toBe('+1 212 555 0100');
    expect(saveButton().attributes('disabled')).toBeDefined();

    await type('+1 (212) 555-0100');
    expect(dialog().text()).toContain('This is the number on record.');
    expect(saveButton().attributes('disabled')).toBeDefined();

    await type('+1 900 555 0100');
    expect(dialog().text()).toContain(explainPhoneRefusal('+1 900 555 0100', 'US', 'unreachable_type'));
    expect(saveButton().attributes('disabled')).toBeDefined();

    await type('');
    expect(dialog().text()).toContain(phoneMessage('required'));
    expect(saveButton().attributes('disabled')).toBeDefined();

    await type('+44 20 7946 0000');
    expect(dialog().text()).toContain('Will be saved as +44 20 7946 0000');
    expect(dialog().find('[data-testid="landline-warning"]').exists()).toBe(true);
    expect(saveButton().attributes('disabled')).toBeUndefined();
  });

  it('reads national numbers in the chosen country (the company’s by default)', async () => {
    await open(makeEmployee({ cellPhone: null }));
    expect(phoneInput().element.value).toBe('');
    await type('2125550123');
    expect(dialog().text()).toContain('Will be saved as +1 212 555 0123');
  });

  it('a number on record from another country chooses that country, not the company’s', async () => {
    await open(makeEmployee({ cellPhone: '+447400123456' }));
    const country = dialog().find('[data-testid="country-select"]');
    expect(country.find('.v-autocomplete__selection').text()).toBe('United Kingdom (+44)');
    expect(phoneInput().element.value).toBe('+44 7400 123456');
  });

  it('Enter saves: the number goes as E.164 with the edited version, then the window reports it', async () => {
    const wrapper = await open();
    const saved = { ...ada, cellPhone: '+442079460000', version: 8 };
    let answer: (result: IpcResult<Employee>) => void = () => undefined;
    harness.portal.api.employees.update.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    await type('+44 20 7946 0000');
    await press('Enter');
    expect(harness.portal.api.employees.update).toHaveBeenCalledWith(expect.objectContaining({ id: 'ada', version: 7, cellPhone: '+442079460000' }));
    // While saving: a progress bar, and no second save.
    expect(dialog().find('[role="progressbar"][aria-label="Saving"]').exists()).toBe(true);
    await press('Enter');
    expect(harness.portal.api.employees.update).toHaveBeenCalledTimes(1);
    answer(ok(saved));
    await flushPromises();
    expect(wrapper.emitted('done')).toEqual([[{ kind: 'saved', employee: saved }]]);
    expect(useEmployeesStore().findById('ada')).toEqual(saved);
  });

  it('Enter does nothing while Save Changes is disabled', async () => {
    const wrapper = await open();
    await type('911');
    await press('Enter');
    expect(harness.portal.api.employees.update).not.toHaveBeenCalled();
    expect(wrapper.emitted('done')).toBeUndefined();
  });

  it('Esc closes at once when nothing was typed', async () => {
    const wrapper = await open();
    await press('Escape');
    expect(wrapper.emitted('close')).toHaveLength(1);
  });

  it('Esc in the open country list closes the list, not the window', async () => {
    const wrapper = await open();
    const country = dialog().find<HTMLInputElement>('input[aria-expanded]');
    country.element.setAttribute('aria-expanded', 'true');
    await country.trigger('keydown', { key: 'Escape' });
    expect(wrapper.emitted('close')).toBeUndefined();
  });

  it('Esc asks first when something was typed; Esc again keeps editing; Discard closes', async () => {
    const wrapper = await open();
    await type('+44 20 7946 0000');
    await press('Escape');
    expect(wrapper.emitted('close')).toBeUndefined();
    expect(dialog().find('[role="alertdialog"]').text()).toContain('Discard your changes?');
    await dialog().find('[role="alertdialog"]').trigger('keydown', { key: 'Escape' });
    await flushPromises();
    expect(dialog().find('[role="alertdialog"]').exists()).toBe(false);
    expect(phoneInput().element.value).toBe('+44 20 7946 0000');
    await buttonNamed('Cancel')!.trigger('click');
    await flushPromises();
    await buttonNamed('Discard')!.trigger('click');
    expect(wrapper.emitted('close')).toHaveLength(1);
  });

  it('on a conflict shows the portal’s number beside mine; "Apply mine on top" retries on the current version', async () => {
    const wrapper = await open();
    const theirs = { ...ada, cellPhone: '+447400123456', version: 9, updatedAt: '2025-03-01T10:00:00.000Z' };
    harness.portal.api.employees.update.mockResolvedValueOnce(fail('conflict', 'changed', { current: theirs }));
    await type('+44 20 7946 0000');
    await press('Enter');
    const panel = dialog().find('[data-testid="conflict-panel"]');
    expect(panel.find('[data-testid="conflict-portal-value"]').text()).toBe('+44 7400 123456');
    expect(panel.find('[data-testid="conflict-mine-value"]').text()).toBe('+44 20 7946 0000');
    // The grid already shows what the portal holds.
    expect(useEmployeesStore().findById('ada')?.version).toBe(9);

    const mine = { ...theirs, cellPhone: '+442079460000', version: 10 };
    harness.portal.api.employees.update.mockResolvedValueOnce(ok(mine));
    await panel.findAll('button').find((button) => button.text() === 'Apply mine on top')!.trigger('click');
    await flushPromises();
    expect(harness.portal.api.employees.update).toHaveBeenLastCalledWith(expect.objectContaining({ id: 'ada', version: 9, cellPhone: '+442079460000' }));
    expect(wrapper.emitted('done')).toEqual([[{ kind: 'saved', employee: mine }]]);
  });

  it('"Keep the portal’s" drops mine', async () => {
    const wrapper = await open();
    const theirs = { ...ada, cellPhone: '+447400123456', version: 9 };
    harness.portal.api.employees.update.mockResolvedValueOnce(fail('conflict', 'changed', { current: theirs }));
    await type('+44 20 7946 0000');
    await press('Enter');
    await buttonNamed('Keep the portal’s')!.trigger('click');
    expect(wrapper.emitted('done')).toEqual([[{ kind: 'kept-portal', employee: theirs }]]);
    expect(harness.portal.api.employees.update).toHaveBeenCalledTimes(1);
  });

  it('any other error keeps the window open with what was typed and the message', async () => {
    const wrapper = await open();
    harness.portal.api.employees.update.mockResolvedValueOnce(fail('server', 'HTTP 502 from upstream'));
    await type('+44 20 7946 0000');
    await saveButton().trigger('submit');
    await flushPromises();
    expect(wrapper.emitted('done')).toBeUndefined();
    expect(wrapper.emitted('close')).toBeUndefined();
    expect(phoneInput().element.value).toBe('+44 20 7946 0000');
    expect(dialog().find('[data-testid="edit-error"]').text()).toBe('The portal had a problem answering. Try again in a moment.');

    // Retrying the same save reuses its idempotency key (a lost answer is not applied twice).
    harness.portal.api.employees.update.mockResolvedValueOnce(fail('timeout', 'slow'));
    await press('Enter');
    const [first, second] = harness.portal.api.employees.update.mock.calls.map(([input]) => input.idempotencyKey);
    expect(first).toBeTruthy();
    expect(second).toBe(first);

    harness.portal.api.employees.update.mockResolvedValueOnce(
      fail('validation', 'rejected', { fields: [{ field: 'cellPhone', code: 'unreachable_type', message: 'The portal refuses this number.' }] }),
    );
    await press('Enter');
    // The app's own sentence for the refusal's code, never the portal's English.
    expect(dialog().text()).toContain('Premium-rate, toll-free, shared-cost, pager and call-forwarding numbers');
    expect(dialog().text()).not.toContain('The portal refuses this number.');
  });
});
