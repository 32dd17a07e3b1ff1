import type { AuditEntry } from '../../common/api';
import { valuesList, type Queryable } from '../db/store';
import { noticesOf } from '../notifications/outbox';

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
  /** For number changes: confirmed with a code sent to the new number. */
  verified?: boolean;
}

/** Appends one row; returns its id (notices of the change link to it). */
export async function appendAudit(db: Queryable, record: AuditRecord): Promise<number> {
  return (await appendAuditRows(db, [record]))[0]!;
}

const AUDIT_COLUMNS = 10;
const AUDIT_INSERT = 'INSERT INTO audit_log (at, company_id, actor_id, actor_email, employee_id, field, old_value, new_value, request_id, verified) VALUES ';

/**
 * Appends rows in one statement (a batch's changes); returns their ids in the order of `records`.
 * The ids come back sorted: one INSERT gives its rows rising ids in the order of its VALUES, and
 * RETURNING's order is not promised, so the n-th smallest id is the n-th record's. The employee ids
 * returned with them are checked against that, and a mismatch throws (the transaction rolls back).
 */
export async function appendAuditRows(db: Queryable, records: readonly AuditRecord[]): Promise<number[]> {
  if (records.length === 0) return [];
  const params: unknown[] = [];
  for (const record of records) {
    params.push(record.at, record.companyId, record.actorId, record.actorEmail, record.employeeId, record.field, record.oldValue,
      record.newValue, record.requestId, record.verified === undefined ? null : Number(record.verified));
  }
  const rows = await db.all<{ id: number; employee_id: string }>(
    `${AUDIT_INSERT}${valuesList(records.length, AUDIT_COLUMNS)} RETURNING id, employee_id`, ...params);
  rows.sort((a, b) => a.id - b.id);
  if (rows.length !== records.length || rows.some((row, index) => row.employee_id !== records[index]!.employeeId)) {
    throw new Error('The audit rows came back in an unexpected order.');
  }
  return rows.map((row) => row.id);
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
  verified: number | null;
  actor_name: string | null;
}

/** At most this many entries per answer, newest first. */
export const AUDIT_PAGE_LIMIT = 1000;

export async function listAudit(db: Queryable, companyId: string, employeeId: string | null): Promise<AuditEntry[]> {
  const columns = `a.id, a.at, a.actor_id, a.actor_email, a.employee_id, a.field, a.old_value, a.new_value, a.request_id, a.verified,
    (SELECT e.first_name || ' ' || e.last_name FROM employees e WHERE e.id = a.actor_id) AS actor_name`;
  const rows =
    employeeId === null
      ? await db.all<AuditRow>(`SELECT ${columns} FROM audit_log a WHERE a.company_id = ? ORDER BY a.id DESC LIMIT ?`, companyId, AUDIT_PAGE_LIMIT)
      : await db.all<AuditRow>(`SELECT ${columns} FROM audit_log a WHERE a.company_id = ? AND a.employee_id = ? ORDER BY a.id DESC LIMIT ?`,
          companyId, employeeId, AUDIT_PAGE_LIMIT);
  const notices = await noticesOf(db, rows.map((row) => row.id));
  return rows.map((row) => {
    const sent = notices.get(row.id) ?? [];
    return {
      id: row.id,
      at: row.at,
      actor: { id: row.actor_id, email: row.actor_email, name: row.actor_name },
      employeeId: row.employee_id,
      field: row.field,
      oldValue: row.old_value,
      newValue: row.new_value,
      requestId: row.request_id,
      verified: row.verified === null ? null : row.verified === 1,
      notified: sent.length > 0 && sent.every((notice) => notice.state === 'sent'),
      notifications: sent,
    };
  });
}
