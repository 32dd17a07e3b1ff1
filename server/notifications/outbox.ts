import { randomUUID } from 'node:crypto';
import { isLandlineNumber } from '../../common/phone/landline';
import { valuesList, type Queryable } from '../db/store';
import { NUMBER_CHANGE_SUBJECT, numberChangeText, type NumberChangeFacts } from './messages';

/**
 * The notification outbox. A change of an employee's number writes its notices here in the same
 * transaction as the change and its audit row, so a notice exists exactly when the change does;
 * the dispatcher sends them after the commit.
 */
export interface NumberChangeNotice extends NumberChangeFacts {
  auditId: number;
  employeeEmail: string;
}

export function enqueueNumberChange(db: Queryable, notice: NumberChangeNotice): Promise<void> {
  return enqueueNumberChanges(db, [notice]);
}

const NOTICE_COLUMNS = 8;

/**
 * The notices of several changes (a batch's) in one statement, in the order of `notices`: for each,
 * the old number's (when there was one), then the email.
 */
export async function enqueueNumberChanges(db: Queryable, notices: readonly NumberChangeNotice[]): Promise<void> {
  const params: unknown[] = [];
  for (const notice of notices) {
    const text = numberChangeText(notice);
    const at = notice.at.toISOString();
    if (notice.oldPhone !== null) {
      // A landline cannot take a text: the carrier reads the same words out in a call.
      params.push(notice.auditId, isLandlineNumber(notice.oldPhone) ? 'voice' : 'sms', notice.oldPhone, null, text, randomUUID(), at, at);
    }
    params.push(notice.auditId, 'email', notice.employeeEmail, NUMBER_CHANGE_SUBJECT, text, randomUUID(), at, at);
  }
  if (params.length === 0) return;
  await db.run(
    `INSERT INTO notification_outbox (audit_id, channel, recipient, subject, text, idempotency_key, created_at, next_attempt_at)
     VALUES ${valuesList(params.length / NOTICE_COLUMNS, NOTICE_COLUMNS)}`,
    ...params,
  );
}

export type NotificationState = 'pending' | 'sending' | 'sent' | 'failed';

/** The notices of some audit rows, for GET /audit. */
export async function noticesOf(db: Queryable, auditIds: readonly number[]): Promise<Map<number, { channel: 'sms' | 'voice' | 'email'; state: NotificationState }[]>> {
  const result = new Map<number, { channel: 'sms' | 'voice' | 'email'; state: NotificationState }[]>();
  if (auditIds.length === 0) return result;
  const rows = await db.all<{ audit_id: number; channel: 'sms' | 'voice' | 'email'; state: NotificationState }>(
    `SELECT audit_id, channel, state FROM notification_outbox WHERE audit_id IN (${auditIds.map(() => '?').join(',')}) ORDER BY id`,
    ...auditIds,
  );
  for (const row of rows) {
    const list = result.get(row.audit_id) ?? [];
    list.push({ channel: row.channel, state: row.state });
    result.set(row.audit_id, list);
  }
  return result;
}
