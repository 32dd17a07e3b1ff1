import { employeeSchema } from '../../../common/api';
import { IpcFailure } from '../../../common/ipc';
import type { EmployeesService } from '../services/employees';
import type { OfflineService } from './offline-service';

/**
 * What answers the `employees:*` channels: the portal's employees service (services/employees.ts)
 * decorated so that pages of the full list become the offline copy, and saved employees (and the
 * portal's current one in a conflict) update it. The composition root hands this to the IPC gate.
 */
export function offlineFirstEmployees(portal: EmployeesService, offline: Pick<OfflineService, 'observeListPage' | 'applyEmployees' | 'applyDelta'>): EmployeesService {
  return {
    async list(input) {
      const page = await portal.list(input);
      offline.observeListPage(input, page);
      return page;
    },
    get: (input) => portal.get(input),
    async update(input) {
      try {
        const saved = await portal.update(input);
        offline.applyEmployees([saved]);
        return saved;
      } catch (error) {
        if (error instanceof IpcFailure && error.code === 'conflict' && error.extra.current) {
          const current = employeeSchema.safeParse(error.extra.current);
          if (current.success) offline.applyEmployees([current.data]);
        }
        throw error;
      }
    },
    async unlockSignIn(input) {
      const unlocked = await portal.unlockSignIn(input);
      offline.applyEmployees([unlocked]);
      return unlocked;
    },
    async changes(input) {
      const changes = await portal.changes(input);
      if (changes.complete) offline.applyDelta(changes);
      return changes;
    },
  };
}
