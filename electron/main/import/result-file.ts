import { toCsv } from '../../../common/csv';
import type { ImportError } from '../../../common/ipc/import-channels';
import type { PlannedChange } from './check';

const STATUS_WORDS: Readonly<Record<PlannedChange['status'], string>> = {
  pending: 'checked, not applied',
  applied: 'applied',
  conflict: 'conflict (not applied)',
  refused: 'refused',
  not_sent: 'not sent',
  drafted: 'saved as draft',
};

/** Every row of the file that led somewhere: changes with what became of them, and the errors. */
export function importResultCsv(changes: readonly PlannedChange[], errors: readonly ImportError[]): string {
  const rows: (string | number | null)[][] = [
    ...changes.map((change) => [change.row, change.employeeId, change.name, change.email, change.oldPhone, change.newPhone, STATUS_WORDS[change.status], change.message ?? (change.warning === 'landline' ? 'landline: codes by voice call' : '')]),
    ...errors.map((error) => [error.row, '', '', '', '', '', 'error', error.message]),
  ];
  rows.sort((a, b) => (a[0] as number) - (b[0] as number));
  return toCsv(['Row', 'Employee ID', 'Name', 'Email', 'Old number', 'New number', 'Result', 'Details'], rows);
}
