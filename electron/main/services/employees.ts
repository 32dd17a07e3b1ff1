import { employeeListSchema, employeeSchema, etagOf, type Employee, type EmployeeList } from '../../../common/api';
import { IpcFailure, type ChannelParsedInput, type EmployeeChanges } from '../../../common/ipc';
import { explainPhoneRefusal, validatePhone } from '../../../common/phone';
import type { AuthService } from './auth';
import type { PortalClient } from '../infra/portal-client';
import { fetchEmployeeChanges } from './employee-changes';

/**
 * The portal's employees calls. The IPC gate does not call this service directly: the `employees:*`
 * channels are answered by offline/offline-first-employees.ts, which decorates it so the offline
 * copy follows what is loaded and saved.
 */
export interface EmployeesService {
  list(input: ChannelParsedInput<'employees:list'>): Promise<EmployeeList>;
  get(input: ChannelParsedInput<'employees:get'>): Promise<Employee>;
  update(input: ChannelParsedInput<'employees:update'>): Promise<Employee>;
  unlockSignIn(input: ChannelParsedInput<'employees:unlock-sign-in'>): Promise<Employee>;
  /** What changed on the portal since a list was loaded (reopening Manage Employees). */
  changes(input: ChannelParsedInput<'employees:changes'>): Promise<EmployeeChanges>;
}

export interface EmployeesServiceOptions {
  portal: () => PortalClient;
  auth: Pick<AuthService, 'currentUser'>;
}

export function createEmployeesService(options: EmployeesServiceOptions): EmployeesService {
  return {
    list(input) {
      return options.portal().request({
        method: 'GET',
        path: '/employees',
        query: { q: input.q, sort: input.sort, order: input.order, limit: input.limit, cursor: input.cursor },
        schema: employeeListSchema,
      });
    },

    get(input) {
      return options.portal().request({ method: 'GET', path: `/employees/${encodeURIComponent(input.id)}`, schema: employeeSchema });
    },

    async update(input) {
      // The company's country reads national numbers ("020 7946 0000"); the portal checks again.
      const user = options.auth.currentUser();
      // Null removes the number (Remove number in Edit Employee).
      const phone = input.cellPhone === null ? ({ ok: true, e164: null } as const) : validatePhone(input.cellPhone, user.company.country);
      if (!phone.ok) {
        const message = explainPhoneRefusal(input.cellPhone, user.company.country, phone.reason);
        throw new IpcFailure('validation', message, { fields: [{ field: 'cellPhone', code: phone.reason, message }] });
      }
      return options.portal().request({
        method: 'PATCH',
        path: `/employees/${encodeURIComponent(input.id)}`,
        headers: {
          'If-Match': etagOf(input.version),
          // The caller's key for this save (the Edit Employee window keeps it for every retry of
          // the same save), so a retry after a lost answer cannot apply twice.
          'Idempotency-Key': input.idempotencyKey,
        },
        body: { cellPhone: phone.e164 },
        schema: employeeSchema,
      });
    },

    unlockSignIn(input) {
      return options.portal().request({ method: 'POST', path: `/employees/${encodeURIComponent(input.id)}/unlock`, body: {}, schema: employeeSchema });
    },

    changes: (input) => fetchEmployeeChanges(options.portal(), input.since),
  };
}
