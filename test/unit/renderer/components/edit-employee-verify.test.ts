import { DOMWrapper, flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Employee } from '../../../../common/api';
import { fail, ok } from '../../../../common/ipc';
import EditEmployeeDialog from '../../../../renderer/components/employees/EditEmployeeDialog.vue';
import { setLocale } from '../../../../renderer/i18n';
import { useEmployeesStore } from '../../../../renderer/stores/employees';
import { createFakePortal, makeEmployee } from '../support/fake-portal';
import { mountWithApp, setUpPortal, type Harness } from '../support/mount';

// Verify and save, the company's requireVerifiedPhone, and who changed a number in a conflict.
let harness: Harness;
let ada: Employee;

beforeEach(async () => {
  document.body.innerHTML = '';
  harness = setUpPortal(createFakePortal());
  ada = makeEmployee({ id: 'ada', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme.test', cellPhone: '+12125550100', version: 7 });
  harness.portal.api.employees.list.mockResolvedValue(ok({ items: [ada], nextCursor: null, total: 1 }));
  await useEmployeesStore().load();
});

async function open() {
  const wrapper = mountWithApp(EditEmployeeDialog, harness, { props: { open: true, employee: ada, companyCountry: 'US' } });
  await flushPromises();
  return wrapper;
}
const dialog = () => new DOMWrapper(document.querySelector('[role="dialog"]')!);
const buttonNamed = (name: string) => dialog().findAll('button').find((button) => button.text() === name);
async function type(text: string): Promise<void> {
  await dialog().find<HTMLInputElement>('[data-testid="cell-phone-field"] input').setValue(text);
  await flushPromises();
}

describe('Verify and save', () => {
  it('sends the code for the typed number against the version shown, then confirms the code the employee reads out', async () => {
    const wrapper = await open();
    await type('+1 212 555 0177');
    await buttonNamed('Verify and save')!.trigger('click');
    await flushPromises();
    expect(harness.portal.api.verification.start).toHaveBeenCalledWith({ id: 'ada', version: 7, cellPhone: '+12125550177' });
    expect(dialog().find('[data-testid="verification-sent"]').text()).toBe('Code sent to +1 212 555 0177. Ask Ada for the code.');
    expect(buttonNamed('Save Changes')).toBeUndefined();

    harness.portal.api.verification.confirm.mockResolvedValueOnce(fail('invalid_code', 'That code is not right.', { attemptsLeft: 2 }));
    await dialog().find<HTMLInputElement>('[data-testid="verification-panel"] input').setValue('123456');
    await buttonNamed('Confirm and save')!.trigger('click');
    await flushPromises();
    expect(dialog().text()).toContain('That code is not right. 2 tries left.');
    expect(wrapper.emitted('done')).toBeUndefined();

    const saved = { ...ada, cellPhone: '+12125550177', version: 8, phoneVerifiedAt: '2030-01-01T00:00:00.000Z' };
    harness.portal.api.verification.confirm.mockResolvedValueOnce(ok(saved));
    await dialog().find<HTMLInputElement>('[data-testid="verification-panel"] input').setValue('654321');
    await buttonNamed('Confirm and save')!.trigger('click');
    await flushPromises();
    expect(harness.portal.api.verification.confirm).toHaveBeenLastCalledWith(expect.objectContaining({ id: 'ada', version: 7, code: '654321' }));
    expect(wrapper.emitted('done')).toEqual([[{ kind: 'saved', employee: saved }]]);
  });

  it('when the company requires verified numbers, offers only Verify and save and says why', async () => {
    harness.portal.api.company.getSettings.mockResolvedValue(ok({ requireVerifiedPhone: true }));
    await open();
    await type('+1 212 555 0177');
    expect(buttonNamed('Save Changes')).toBeUndefined();
    expect(buttonNamed('Verify and save')!.attributes('disabled')).toBeUndefined();
    expect(dialog().find('[data-testid="verification-required"]').text()).toContain('accepts only verified numbers');
  });

  it('a conflict says who changed the number', async () => {
    harness.portal.api.employees.update.mockResolvedValue(
      fail('conflict', 'changed', { current: { ...ada, cellPhone: '+12125550199', version: 8, updatedBy: 'Jordan Okafor' } }),
    );
    await open();
    await type('+1 212 555 0177');
    await buttonNamed('Save Changes')!.trigger('click');
    await flushPromises();
    expect(dialog().text()).toMatch(/changed \(by Jordan Okafor, /);
  });
});

describe('in German', () => {
  beforeEach(() => setLocale('de'));
  afterEach(() => setLocale('en'));

  it('an ended verification code is the app’s own German sentence, never main’s English', async () => {
    await open();
    await type('+1 212 555 0177');
    await buttonNamed('Bestätigen und speichern')!.trigger('click');
    await flushPromises();
    harness.portal.api.verification.confirm.mockResolvedValueOnce(fail('challenge_expired', 'This code has expired or was ended (5 wrong codes end it). Send a new code.'));
    await dialog().find<HTMLInputElement>('[data-testid="verification-panel"] input').setValue('123456');
    await buttonNamed('Code prüfen und speichern')!.trigger('click');
    await flushPromises();
    expect(dialog().text()).toContain('Dieser Code ist abgelaufen oder wurde beendet (5 falsche Eingaben beenden ihn). Senden Sie einen neuen Code.');
    expect(dialog().text()).not.toContain('This code has expired');
  });
});
