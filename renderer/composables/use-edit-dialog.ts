import { ref, shallowRef } from 'vue';
import type { Employee } from '../../common/api';
import { displayPhone } from '../lib/display-phone';
import { t } from '../i18n';
import { useNotificationsStore } from '../stores/notifications';
import { usePrivacyStore } from '../stores/privacy';
import type { SaveOutcome } from './use-employee-edit';

export type FinishedOutcome = Exclude<SaveOutcome, { kind: 'stayed' }>;


/** What the snackbar says after the Edit Employee window finished. */
export function finishedMessage(outcome: FinishedOutcome, phoneText: (cellPhone: string, employeeId: string) => string = displayPhone): string {
  const { employee } = outcome;
  const name = `${employee.firstName} ${employee.lastName}`;
  switch (outcome.kind) {
    case 'drafted':
      return t('editOutcome.drafted');
    case 'discarded':
      return t('editOutcome.discarded', { name });
    case 'removed':
      return t('editOutcome.removed', { name });
    case 'saved':
    case 'kept-portal': {
      const number = employee.cellPhone ? phoneText(employee.cellPhone, employee.id) : t('editOutcome.noNumber');
      return outcome.kind === 'saved' ? t('editOutcome.saved', { name, number }) : t('editOutcome.keptPortal', { name, number });
    }
  }
}

/**
 * Hosting the Edit Employee window (Manage Employees, Outbox): which employee, open or not, the
 * snackbar afterwards, and where the keyboard goes back to once it has closed.
 */
export function useEditDialog(onClosed: (employeeId: string) => void = () => undefined) {
  const notifications = useNotificationsStore();
  const privacy = usePrivacyStore();
  const editing = shallowRef<Employee | null>(null);
  const isOpen = ref(false);
  let returnFocusTo: string | null = null;

  function open(employee: Employee): void {
    editing.value = employee;
    returnFocusTo = employee.id;
    isOpen.value = true;
  }

  function close(): void {
    isOpen.value = false;
  }

  function finish(outcome: FinishedOutcome): void {
    notifications.notify(finishedMessage(outcome, privacy.phoneText), 'success');
    isOpen.value = false;
  }

  function closed(): void {
    editing.value = null;
    const id = returnFocusTo;
    returnFocusTo = null;
    if (id !== null) onClosed(id);
  }

  return { editing, isOpen, open, close, finish, closed };
}
