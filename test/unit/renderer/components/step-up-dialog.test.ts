import { DOMWrapper, flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Employee } from '../../../../common/api';
import { fail, ok } from '../../../../common/ipc';
import EditEmployeeDialog from '../../../../renderer/components/employees/EditEmployeeDialog.vue';
import StepUpDialog from '../../../../renderer/components/shell/StepUpDialog.vue';
import { useDraftsStore } from '../../../../renderer/stores/drafts';
import { useEmployeesStore } from '../../../../renderer/stores/employees';
import { useStepUpStore } from '../../../../renderer/stores/step-up';
import { createFakePortal, IDLE_SYNC, makeEmployee } from '../support/fake-portal';
import { mountWithApp, setUpPortal, type Harness } from '../support/mount';

let harness: Harness;
let ada: Employee;

beforeEach(async () => {
  document.body.innerHTML = '';
  harness = setUpPortal(createFakePortal());
  ada = makeEmployee({ id: 'ada', firstName: 'Ada', lastName: 'Lovelace', cellPhone: '+12125550100', version: 7 });
  harness.portal.api.employees.list.mockResolvedValue(ok({ items: [ada], nextCursor: null, total: 1 }));
  await useEmployeesStore().load();
});

const stepUpDialog = () => {
  const card = [...document.querySelectorAll('[role="dialog"]')].find((element) => element.textContent?.includes('Confirm it is you'));
  return card ? new DOMWrapper(card) : null;
};
const button = (scope: DOMWrapper<Element>, name: string) => scope.findAll('button').find((candidate) => candidate.text() === name);

async function enterCode(code: string): Promise<void> {
  const dialog = stepUpDialog()!;
  await dialog.find<HTMLInputElement>('input[autocomplete="one-time-code"]').setValue(code);
  await flushPromises();
  await button(dialog, 'Confirm and continue')!.trigger('click');
  await flushPromises();
}

describe('the step-up prompt (sudo mode)', () => {
  it('asks for a code over Edit Employee when the portal wants one, then finishes the same save without a second click', async () => {
    const saved = { ...ada, cellPhone: '+442079460000', version: 8 };
    harness.portal.api.employees.update
      .mockResolvedValueOnce(fail('step_up_required', 'Confirm it is you: enter a code from your second factor to continue.'))
      .mockResolvedValueOnce(ok(saved));
    mountWithApp(StepUpDialog, harness);
    const edit = mountWithApp(EditEmployeeDialog, harness, { props: { open: true, employee: ada, companyCountry: 'US' } });
    await flushPromises();
    const editDialog = new DOMWrapper(document.querySelector('[role="dialog"]')!);
    await editDialog.find<HTMLInputElement>('[data-testid="cell-phone-field"] input').setValue('+44 20 7946 0000');
    await flushPromises();
    await button(editDialog, 'Save Changes')!.trigger('click');
    await flushPromises();

    // The prompt is on top; the edit window underneath still holds what was typed.
    expect(stepUpDialog()).not.toBeNull();
    expect(harness.portal.api.auth.startStepUp).toHaveBeenCalledTimes(1);
    expect(editDialog.find<HTMLInputElement>('[data-testid="cell-phone-field"] input').element.value).toBe('+44 20 7946 0000');
    expect(edit.emitted('done')).toBeUndefined();

    await button(stepUpDialog()!, 'Send code')!.trigger('click');
    await flushPromises();
    expect(harness.portal.api.auth.sendStepUpCode).toHaveBeenCalledWith({ method: 'sms' });
    await enterCode('123456');
    expect(harness.portal.api.auth.verifyStepUp).toHaveBeenCalledWith({ code: '123456', method: 'sms' });

    // The same save, with the same idempotency key, went again by itself.
    const calls = harness.portal.api.employees.update.mock.calls;
    expect(calls).toHaveLength(2);
    expect(calls[1]![0]).toEqual(calls[0]![0]);
    expect(edit.emitted('done')).toEqual([[{ kind: 'saved', employee: saved }]]);
    expect(useStepUpStore().isOpen).toBe(false);
  });

  it('keeps the typed number and says why when the admin cancels the prompt', async () => {
    harness.portal.api.employees.update.mockResolvedValueOnce(fail('step_up_required', 'x'));
    mountWithApp(StepUpDialog, harness);
    const edit = mountWithApp(EditEmployeeDialog, harness, { props: { open: true, employee: ada, companyCountry: 'US' } });
    await flushPromises();
    const editDialog = new DOMWrapper(document.querySelector('[role="dialog"]')!);
    await editDialog.find<HTMLInputElement>('[data-testid="cell-phone-field"] input').setValue('+44 20 7946 0000');
    await flushPromises();
    await button(editDialog, 'Save Changes')!.trigger('click');
    await flushPromises();
    await button(stepUpDialog()!, 'Cancel')!.trigger('click');
    await flushPromises();
    expect(harness.portal.api.employees.update).toHaveBeenCalledTimes(1);
    expect(edit.emitted('done')).toBeUndefined();
    expect(editDialog.find<HTMLInputElement>('[data-testid="cell-phone-field"] input').element.value).toBe('+44 20 7946 0000');
    expect(editDialog.text()).toContain('Your change is not saved yet: it needs a code from your second factor.');
  });

  it('shows a wrong code in the prompt and lets the admin try again', async () => {
    harness.portal.api.auth.verifyStepUp.mockResolvedValueOnce(ok({ step: 'invalid_code', attemptsLeft: 4 }));
    harness.portal.api.drafts.syncNow
      .mockResolvedValueOnce(ok({ ...IDLE_SYNC, state: 'waiting', reason: 'Confirm it is you with a code to send your drafts.', needsStepUp: true }))
      .mockResolvedValueOnce(ok(IDLE_SYNC));
    mountWithApp(StepUpDialog, harness);
    await flushPromises();
    // The Outbox's "Sync now": the prompt opens over it, and the sync runs again after the code.
    const syncing = useDraftsStore().syncNow();
    await flushPromises();
    await button(stepUpDialog()!, 'Send code')!.trigger('click');
    await flushPromises();
    await enterCode('000000');
    expect(stepUpDialog()!.text()).toContain('That code is not right. 4 attempts left.');
    expect(harness.portal.api.drafts.syncNow).toHaveBeenCalledTimes(1);
    await enterCode('123456');
    await syncing;
    expect(harness.portal.api.drafts.syncNow).toHaveBeenCalledTimes(2);
  });
});
