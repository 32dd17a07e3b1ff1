import { DOMWrapper, flushPromises } from '@vue/test-utils';
import { beforeEach, expect, it } from 'vitest';
import { fail, ok } from '../../../../common/ipc';
import EditEmployeeDialog from '../../../../renderer/components/employees/EditEmployeeDialog.vue';
import StepUpDialog from '../../../../renderer/components/shell/StepUpDialog.vue';
import { DEFAULT_QUERY, EmployeeIndex } from '../../../../renderer/lib/employee-index';
import { useEmployeesStore } from '../../../../renderer/stores/employees';
import { createFakePortal, makeEmployee } from '../support/fake-portal';
import { mountWithApp, setUpPortal, type Harness } from '../support/mount';

let harness: Harness;
const locked = makeEmployee({ id: 'ada', firstName: 'Ada', lastName: 'Lovelace', cellPhone: '+12125550100', version: 7, twoFactor: { status: 'active', method: 'sms', lockedOut: true } });

beforeEach(async () => {
  document.body.innerHTML = '';
  harness = setUpPortal(createFakePortal());
  harness.portal.api.employees.list.mockResolvedValue(ok({ items: [locked], nextCursor: null, total: 1 }));
  await useEmployeesStore().load();
});

const editDialog = () => new DOMWrapper(document.querySelector('[role="dialog"]')!);
const buttonNamed = (scope: DOMWrapper<Element>, name: string) => scope.findAll('button').find((button) => button.text() === name);

it('offers Unlock sign-in for a locked-out employee and, after a step-up code, unlocks them', async () => {
  const unlocked = { ...locked, twoFactor: { status: 'active' as const, method: 'sms' as const } };
  harness.portal.api.employees.unlockSignIn.mockResolvedValueOnce(fail('step_up_required', 'x')).mockResolvedValueOnce(ok(unlocked));
  mountWithApp(StepUpDialog, harness);
  mountWithApp(EditEmployeeDialog, harness, { props: { open: true, employee: locked, companyCountry: 'US' } });
  await flushPromises();
  expect(editDialog().find('[data-testid="unlock-sign-in"]').text()).toContain('Locked out: too many wrong codes in a row.');
  await buttonNamed(editDialog(), 'Unlock sign-in')!.trigger('click');
  await flushPromises();

  const prompt = new DOMWrapper([...document.querySelectorAll('[role="dialog"]')].find((element) => element.textContent?.includes('Confirm it is you'))!);
  await buttonNamed(prompt, 'Send code')!.trigger('click');
  await flushPromises();
  await prompt.find<HTMLInputElement>('input[autocomplete="one-time-code"]').setValue('123456');
  await buttonNamed(prompt, 'Confirm and continue')!.trigger('click');
  await flushPromises();

  expect(harness.portal.api.employees.unlockSignIn).toHaveBeenCalledTimes(2);
  expect(harness.portal.api.employees.unlockSignIn).toHaveBeenLastCalledWith({ id: 'ada' });
  expect(editDialog().text()).toContain('Sign-in unlocked.');
  expect(useEmployeesStore().findById('ada')?.twoFactor.lockedOut).toBeUndefined();
});

it('counts a locked-out employee as needing attention', () => {
  const index = new EmployeeIndex();
  index.append([locked, makeEmployee({ id: 'bob', cellPhone: '+12125550101' })]);
  const positions = [...index.filter({ ...DEFAULT_QUERY, needsAttention: true })];
  expect(positions.map((position) => index.at(position).id)).toEqual(['ada']);
});
