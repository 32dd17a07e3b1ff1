import type { Db } from '../db/connection';

/**
 * Per-account throttling of guesses (wrong passwords and wrong second-factor codes together).
 *
 * Below FAILURE_LIMIT failures in the last hour nothing is slowed down. From then on every failure
 * opens a wait before the next attempt: 30 s after the 100th, 60 s after the 101st, 120 s … capped
 * at an hour. Failures older than an hour no longer count, so the account always opens again by
 * itself: there is no permanent lockout an attacker could inflict on a real user (NIST 800-63B §5.2.2).
 */
export const FAILURE_LIMIT = 100;
export const FAILURE_WINDOW_MS = 60 * 60 * 1000;
export const FIRST_DELAY_SECONDS = 30;
export const MAX_DELAY_SECONDS = 60 * 60;

/** The wait after `failures` failures within the window (0 below the limit). */
export function delayAfterFailures(failures: number): number {
  if (failures < FAILURE_LIMIT) return 0;
  const doublings = Math.min(failures - FAILURE_LIMIT, 20);
  return Math.min(FIRST_DELAY_SECONDS * 2 ** doublings, MAX_DELAY_SECONDS);
}

/** Seconds the account must still wait before another attempt, or null if it may try now. */
export function accountRetryAfter(db: Db, employeeId: string, now: Date): number | null {
  const since = new Date(now.getTime() - FAILURE_WINDOW_MS).toISOString();
  const row = db
    .prepare('SELECT count(*) AS failures, max(at) AS last FROM auth_failures WHERE employee_id = ? AND at > ?')
    .get(employeeId, since) as { failures: number; last: string | null };
  const delay = delayAfterFailures(row.failures);
  if (delay === 0 || row.last === null) return null;
  const until = new Date(row.last).getTime() + delay * 1000;
  const remaining = until - now.getTime();
  return remaining > 0 ? Math.ceil(remaining / 1000) : null;
}

/** Records one failure; returns its rowid so a provisional failure can be withdrawn. */
export function recordFailure(db: Db, employeeId: string, now: Date): number | bigint {
  return db.prepare('INSERT INTO auth_failures (employee_id, at) VALUES (?, ?)').run(employeeId, now.toISOString()).lastInsertRowid;
}

/** Withdraws a provisional failure (the password turned out right). */
export function withdrawFailure(db: Db, rowid: number | bigint): void {
  db.prepare('DELETE FROM auth_failures WHERE rowid = ?').run(rowid);
}

/** Forgets failures that no longer count anywhere. */
export function pruneFailures(db: Db, now: Date): void {
  db.prepare('DELETE FROM auth_failures WHERE at <= ?').run(new Date(now.getTime() - FAILURE_WINDOW_MS).toISOString());
}
