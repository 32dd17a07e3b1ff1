import { randomUUID } from 'node:crypto';
import { validatePhone } from '../../common/phone';
import type { Queryable } from '../db/store';
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

export async function enqueueNumberChange(db: Queryable, notice: NumberChangeNotice): Promise<void> {
  const text = numberChangeText(notice);
  const at = notice.at.toISOString();
  const insert = (...values: unknown[]) =>
    db.run(
      `INSERT INTO notification_outbox (audit_id, channel, recipient, subject, text, idempotency_key, created_at, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ...values,
    );
  if (notice.oldPhone !== null) {
    // A landline cannot take a text: the carrier reads the same words out in a call.
    const checked = validatePhone(notice.oldPhone, 'US');
    const landline = checked.ok && checked.warning === 'landline';
    await insert(notice.auditId, landline ? 'voice' : 'sms', notice.oldPhone, null, text, randomUUID(), at, at);
  }
  await insert(notice.auditId, 'email', notice.employeeEmail, NUMBER_CHANGE_SUBJECT, text, randomUUID(), at, at);
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
