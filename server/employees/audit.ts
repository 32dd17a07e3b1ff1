import type { AuditEntry } from '../../common/api';
import type { Db } from '../db/connection';
import { prepared } from './repository';

/**
 * The audit log: append-only (triggers in server/db/migrations.ts refuse UPDATE and DELETE).
 * Phone numbers are stored masked (`•••• 0142`): the log shows that a number changed without
 * becoming a second copy of everyone's number.
 */
export interface AuditRecord {
  at: string;
  companyId: string;
  actorId: string;
  actorEmail: string;
  employeeId: string;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  requestId: string;
}

export function appendAudit(db: Db, record: AuditRecord): void {
  prepared(
    db,
    `INSERT INTO audit_log (at, company_id, actor_id, actor_email, employee_id, field, old_value, new_value, request_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(record.at, record.companyId, record.actorId, record.actorEmail, record.employeeId, record.field, record.oldValue,
    record.newValue, record.requestId);
}

interface AuditRow {
  id: number;
  at: string;
  actor_id: string;
  actor_email: string;
  employee_id: string;
  field: string;
  old_value: string | null;
  new_value: string | null;
  request_id: string;
}

/** At most this many entries per answer, newest first. */
export const AUDIT_PAGE_LIMIT = 1000;

export function listAudit(db: Db, companyId: string, employeeId: string | null): AuditEntry[] {
  const columns = 'id, at, actor_id, actor_email, employee_id, field, old_value, new_value, request_id';
  const rows = (
    employeeId === null
      ? prepared(db, `SELECT ${columns} FROM audit_log WHERE company_id = ? ORDER BY id DESC LIMIT ?`).all(companyId, AUDIT_PAGE_LIMIT)
      : prepared(db, `SELECT ${columns} FROM audit_log WHERE company_id = ? AND employee_id = ? ORDER BY id DESC LIMIT ?`).all(
          companyId,
          employeeId,
          AUDIT_PAGE_LIMIT,
        )
  ) as AuditRow[];
  return rows.map((row) => ({
    id: row.id,
    at: row.at,
    actor: { id: row.actor_id, email: row.actor_email },
    employeeId: row.employee_id,
    field: row.field,
    oldValue: row.old_value,
    newValue: row.new_value,
    requestId: row.request_id,
  }));
}
