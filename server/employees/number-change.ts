import { maskPhone } from '../../common/phone';
import type { AuthedUser } from '../auth/authenticate';
import type { Queryable } from '../db/store';
import { enqueueNumberChange } from '../notifications/outbox';
import { appendAudit } from './audit';
import { updatePhoneIfVersion } from './repository';
import { searchTextOf, type EmployeeRow } from './serialize';

/**
 * What every change of an employee's number writes besides the row itself (PATCH, batch items,
 * a confirmed verification, and any other path that changes a number): the audit row and the
 * employee's notices. Call it inside the transaction that changed the row.
 */
export async function recordNumberChange(
  db: Queryable,
  change: { actor: AuthedUser; before: EmployeeRow; after: EmployeeRow; verified: boolean; requestId: string; at: Date },
): Promise<number> {
  const { actor, before, after } = change;
  const auditId = await appendAudit(db, {
    at: change.at.toISOString(),
    companyId: actor.companyId,
    actorId: actor.id,
    actorEmail: actor.email,
    employeeId: after.id,
    field: 'cellPhone',
    oldValue: maskPhone(before.cell_phone),
    newValue: maskPhone(after.cell_phone),
    requestId: change.requestId,
    verified: change.verified,
  });
  // Confirming the number already on record changes nothing the employee needs to hear about.
  if (before.cell_phone === after.cell_phone) return auditId;
  await enqueueNumberChange(db, {
    auditId,
    employeeEmail: after.email,
    oldPhone: before.cell_phone,
    newPhone: after.cell_phone,
    actorName: actorName(actor),
    companyName: actor.companyName,
    at: change.at,
  });
  return auditId;
}

export const actorName = (actor: AuthedUser): string => `${actor.firstName} ${actor.lastName}`;

/**
 * Sets an employee's number if the row still has the version `before` was read at (the
 * compare-and-swap), with its audit row and notices; undefined when another writer won. Call it
 * inside a transaction.
 */
export async function changeNumber(
  db: Queryable,
  change: { actor: AuthedUser; before: EmployeeRow; cellPhone: string | null; verified: boolean; requestId: string; at: Date },
): Promise<EmployeeRow | undefined> {
  const { actor, before, cellPhone, at } = change;
  const after = await updatePhoneIfVersion(db, {
    companyId: actor.companyId,
    id: before.id,
    expectedVersion: before.version,
    cellPhone,
    searchText: searchTextOf({ firstName: before.first_name, lastName: before.last_name, email: before.email, cellPhone }),
    updatedAt: at.toISOString(),
    updatedBy: actorName(actor),
    verifiedAt: change.verified ? at.toISOString() : null,
  });
  if (after) await recordNumberChange(db, { actor, before, after, verified: change.verified, requestId: change.requestId, at });
  return after;
}
