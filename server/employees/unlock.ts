import type { Employee } from '../../common/api';
import type { AuthedUser } from '../auth/authenticate';
import type { Queryable } from '../db/store';
import { HttpError } from '../http/errors';
import { appendAudit } from './audit';
import { findEmployee } from './repository';
import { EMPLOYEE_COLUMNS, toEmployee, type EmployeeRow } from './serialize';

/**
 * POST /employees/{id}/unlock: ends a sign-in lock left by too many wrong codes in a row. The run
 * of wrong codes starts again from zero; the audit records who unlocked whom and when. Unlocking an
 * employee who is not locked changes nothing and records nothing.
 */
export function unlockSignIn(db: Queryable, actor: AuthedUser, employeeId: string, requestId: string, now: Date): Promise<Employee> {
  return db.transaction(async (tx) => {
    const stamp = now.toISOString();
    const row = await tx.get<EmployeeRow>(
      `UPDATE employees SET sign_in_locked_at = NULL, wrong_codes = 0, updated_at = ?
        WHERE id = ? AND company_id = ? AND sign_in_locked_at IS NOT NULL
        RETURNING ${EMPLOYEE_COLUMNS}`,
      stamp, employeeId, actor.companyId);
    if (row) {
      await appendAudit(tx, {
        at: stamp,
        companyId: actor.companyId,
        actorId: actor.id,
        actorEmail: actor.email,
        employeeId,
        field: 'signInLock',
        oldValue: 'locked',
        newValue: 'unlocked',
        requestId,
      });
      return toEmployee(row, actor);
    }
    const current = await findEmployee(tx, actor.companyId, employeeId);
    if (!current) throw new HttpError(404, 'not_found', 'No such employee.');
    return toEmployee(current, actor);
  });
}
