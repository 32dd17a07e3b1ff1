import { ref, shallowRef } from 'vue';
import type { Employee } from '../../common/api';
import { displayPhone } from '../lib/display-phone';
import { useNotificationsStore } from '../stores/notifications';
import { usePrivacyStore } from '../stores/privacy';
import type { SaveOutcome } from './use-employee-edit';

export type FinishedOutcome = Exclude<SaveOutcome, { kind: 'stayed' }>;

export const DRAFTED_MESSAGE = 'Saved as draft. It will be sent when the portal is reachable.';

/** What the snackbar says after the Edit Employee window finished. */
export function finishedMessage(outcome: FinishedOutcome, phoneText: (cellPhone: string, employeeId: string) => string = displayPhone): string {
  const { employee } = outcome;
  const name = `${employee.firstName} ${employee.lastName}`;
  switch (outcome.kind) {
    case 'drafted':
      return DRAFTED_MESSAGE;
    case 'discarded':
      return `Discarded the draft for ${name}. The portal’s number stands.`;
    case 'removed':
      return `Removed ${name}’s cell phone number. The employee list shows “No number”.`;
    case 'saved':
    case 'kept-portal': {
      const number = employee.cellPhone ? phoneText(employee.cellPhone, employee.id) : 'no number';
      return outcome.kind === 'saved' ? `Saved. ${name}’s cell phone number is now ${number}.` : `Kept the portal’s number for ${name}: ${number}.`;
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
