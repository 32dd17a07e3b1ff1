import { maskPhone } from '../../common/phone';
import type { AuthedUser } from '../auth/authenticate';
import type { Queryable } from '../db/store';
import { enqueueNumberChanges } from '../notifications/outbox';
import { appendAuditRows } from './audit';
import { updatePhoneIfVersion } from './repository';
import { searchTextOf, type EmployeeRow } from './serialize';

export interface NumberChangeRecord {
  actor: AuthedUser;
  before: EmployeeRow;
  after: EmployeeRow;
  verified: boolean;
  requestId: string;
  at: Date;
}

/**
 * What every change of an employee's number writes besides the row itself (PATCH, batch items,
 * a confirmed verification, and any other path that changes a number): the audit row and the
 * employee's notices. Call it inside the transaction that changed the row; with `batch`, the rows
 * are written by `batch.write` before that transaction commits.
 */
export async function recordNumberChange(db: Queryable, change: NumberChangeRecord, batch?: NumberChangeBatch): Promise<void> {
  if (batch) batch.add(change);
  else await writeNumberChanges(db, [change]);
}

/**
 * The audit rows and notices of a batch's changes, held until the batch's end and then written in
 * one INSERT each (instead of three statements per change). Make one inside the batch's
 * transaction (a rerun of the transaction makes a new one) and call `write` before it commits:
 * nothing outside the transaction sees the difference, and nothing inside it reads these rows.
 */
export class NumberChangeBatch {
  private changes: NumberChangeRecord[] = [];

  add(change: NumberChangeRecord): void {
    this.changes.push(change);
  }

  async write(db: Queryable): Promise<void> {
    const changes = this.changes;
    this.changes = [];
    await writeNumberChanges(db, changes);
  }
}

async function writeNumberChanges(db: Queryable, changes: readonly NumberChangeRecord[]): Promise<void> {
  if (changes.length === 0) return;
  const auditIds = await appendAuditRows(db, changes.map(({ actor, before, after, verified, requestId, at }) => ({
    at: at.toISOString(),
    companyId: actor.companyId,
    actorId: actor.id,
    actorEmail: actor.email,
    employeeId: after.id,
    field: 'cellPhone',
    oldValue: maskPhone(before.cell_phone),
    newValue: maskPhone(after.cell_phone),
    requestId,
    verified,
  })));
  await enqueueNumberChanges(db, changes.flatMap(({ actor, before, after, at }, index) =>
    // Confirming the number already on record changes nothing the employee needs to hear about.
    before.cell_phone === after.cell_phone ? [] : [{
      auditId: auditIds[index]!,
      employeeEmail: after.email,
      oldPhone: before.cell_phone,
      newPhone: after.cell_phone,
      actorName: actorName(actor),
      companyName: actor.companyName,
      at,
    }]));
}

export const actorName = (actor: AuthedUser): string => `${actor.firstName} ${actor.lastName}`;

/**
 * Sets an employee's number if the row still has the version `before` was read at (the
 * compare-and-swap), with its audit row and notices; undefined when another writer won. Call it
 * inside a transaction (with `batch`, the one `batch.write` is called in before it commits).
 */
export async function changeNumber(
  db: Queryable,
  change: { actor: AuthedUser; before: EmployeeRow; cellPhone: string | null; verified: boolean; requestId: string; at: Date },
  batch?: NumberChangeBatch,
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
  if (after) await recordNumberChange(db, { actor, before, after, verified: change.verified, requestId: change.requestId, at }, batch);
  return after;
}
