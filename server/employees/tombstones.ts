import type { AuthedUser } from '../auth/authenticate';
import type { Queryable } from '../db/store';
import { HttpError } from '../http/errors';
import { appendAudit } from './audit';
import { findEmployee } from './repository';

/**
 * Deleted employees and the tombstones they leave. A client that keeps the list (the app's cache,
 * its offline copy) asks `GET /employees?changedSince=T` and gets, with the rows changed after T,
 * `deleted: [{id, deletedAt}]` — every employee deleted after T — so it can drop them.
 *
 * Tombstones are kept TOMBSTONE_RETENTION_DAYS, longer than any copy the app keeps (its offline copy
 * is deleted 14 days after the last online sign-in). A `changedSince` older than that could miss a
 * deletion, so it is refused (410 `changed_since_expired`): the client loads the whole list again.
 */
export const TOMBSTONE_RETENTION_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface Tombstone {
  id: string;
  deletedAt: string;
}

/** The oldest `changedSince` still answered with every deletion after it. */
export function oldestDeltaBase(now: Date): Date {
  return new Date(now.getTime() - TOMBSTONE_RETENTION_DAYS * DAY_MS);
}

/** 410 when `changedSince` is older than the tombstones go back. */
export function assertDeltaBaseKept(changedSince: string, now: Date): void {
  if (Date.parse(changedSince) < oldestDeltaBase(now).getTime()) {
    throw new HttpError(
      410,
      'changed_since_expired',
      `Deletions are kept for ${TOMBSTONE_RETENTION_DAYS} days: changedSince is older than that. Load the whole list again.`,
    );
  }
}

/** Employees of the company deleted strictly after `changedSince`, oldest first. */
export function tombstonesSince(db: Queryable, companyId: string, changedSince: string): Promise<Tombstone[]> {
  return db.all<Tombstone>(
    'SELECT id, deleted_at AS "deletedAt" FROM employee_tombstones WHERE company_id = ? AND deleted_at > ? ORDER BY deleted_at, id',
    companyId,
    changedSince,
  );
}

/** Rows that belong to an employee alone (sessions, codes, open verifications): they go with the employee. */
const OWNED_ROWS = [
  'DELETE FROM refresh_tokens WHERE employee_id = ?',
  'DELETE FROM access_tokens WHERE employee_id = ?',
  'DELETE FROM token_families WHERE employee_id = ?',
  'DELETE FROM challenges WHERE employee_id = ?',
  'DELETE FROM totp_used_steps WHERE employee_id = ?',
  'DELETE FROM code_sends WHERE employee_id = ?',
  'DELETE FROM phone_verifications WHERE employee_id = ? OR actor_id = ?',
];

/**
 * DELETE /employees/{id}: removes an employee of the actor's company, leaves a tombstone and an audit
 * entry (the audit keeps the employee's history: it is append-only). An admin cannot delete their own
 * account. Old tombstones are pruned on the way.
 */
export function deleteEmployee(db: Queryable, actor: AuthedUser, employeeId: string, requestId: string, now: Date): Promise<void> {
  return db.transaction(async (tx) => {
    const row = await findEmployee(tx, actor.companyId, employeeId);
    if (!row) throw new HttpError(404, 'not_found', 'No such employee.');
    if (row.id === actor.id) throw new HttpError(403, 'forbidden', 'You cannot delete your own account.');
    const stamp = now.toISOString();
    for (const sql of OWNED_ROWS) await tx.run(sql, ...Array.from({ length: sql.split('?').length - 1 }, () => row.id));
    await tx.run('DELETE FROM employees WHERE id = ? AND company_id = ?', row.id, actor.companyId);
    await tx.run('DELETE FROM employee_tombstones WHERE deleted_at < ?', oldestDeltaBase(now).toISOString());
    await tx.run(
      'INSERT INTO employee_tombstones (company_id, id, deleted_at) VALUES (?, ?, ?) ON CONFLICT (company_id, id) DO UPDATE SET deleted_at = excluded.deleted_at',
      actor.companyId,
      row.id,
      stamp,
    );
    await appendAudit(tx, {
      at: stamp,
      companyId: actor.companyId,
      actorId: actor.id,
      actorEmail: actor.email,
      employeeId: row.id,
      field: 'employee',
      oldValue: row.email,
      newValue: null,
      requestId,
    });
  });
}
