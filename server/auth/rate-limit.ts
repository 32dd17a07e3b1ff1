import type { Queryable } from '../db/store';

/**
 * Throttling of guesses (wrong passwords and wrong second-factor codes), counted where the guesses
 * come from, so an attacker slows down themselves and not the person they are guessing at:
 *
 * - per (account, source address): FAILURE_LIMIT failures an hour against one e-mail from one
 *   address, then a wait that doubles (30 s, 60 s, 120 s … an hour). The same e-mail from another
 *   address is not slowed, so guessing at an admin from one place never keeps the admin out.
 * - per source address: SOURCE_FAILURE_LIMIT failures an hour across all e-mails (password
 *   spraying), then the same doubling wait for everything from that address.
 *
 * The account is the e-mail as typed (trimmed, lower-case), known or not: an unknown e-mail is
 * counted, written and throttled exactly like a known one, so neither the answers nor the writes
 * tell which e-mails exist. Failures older than an hour no longer count (no permanent lockout by
 * guessing passwords; wrong codes lock the second factor separately, see second-factor.ts).
 */
export const FAILURE_LIMIT = 100;
export const SOURCE_FAILURE_LIMIT = 200;
export const FAILURE_WINDOW_MS = 60 * 60 * 1000;
export const FIRST_DELAY_SECONDS = 30;
export const MAX_DELAY_SECONDS = 60 * 60;

export interface Guesser {
  /** The e-mail as typed, trimmed and lower-cased. */
  account: string;
  /** The client's IP address. */
  source: string;
}

export function accountKey(email: string): string {
  return email.trim().toLowerCase();
}

/** The wait after `failures` failures within the window (0 below `limit`). */
export function delayAfterFailures(failures: number, limit = FAILURE_LIMIT): number {
  if (failures < limit) return 0;
  const doublings = Math.min(failures - limit, 20);
  return Math.min(FIRST_DELAY_SECONDS * 2 ** doublings, MAX_DELAY_SECONDS);
}

function remainingSeconds(row: { failures: number; last: string | null }, limit: number, now: Date): number | null {
  const delay = delayAfterFailures(row.failures, limit);
  if (delay === 0 || row.last === null) return null;
  const remaining = new Date(row.last).getTime() + delay * 1000 - now.getTime();
  return remaining > 0 ? Math.ceil(remaining / 1000) : null;
}

/** Seconds this guesser must still wait before another attempt, or null if it may try now. */
export async function guesserRetryAfter(db: Queryable, guesser: Guesser, now: Date): Promise<number | null> {
  const since = new Date(now.getTime() - FAILURE_WINDOW_MS).toISOString();
  type Counted = { failures: number; last: string | null };
  const pair = (await db.get<Counted>('SELECT count(*) AS failures, max(at) AS last FROM sign_in_failures WHERE account = ? AND source = ? AND at > ?',
    guesser.account, guesser.source, since))!;
  const source = (await db.get<Counted>('SELECT count(*) AS failures, max(at) AS last FROM sign_in_failures WHERE source = ? AND at > ?',
    guesser.source, since))!;
  const waits = [remainingSeconds(pair, FAILURE_LIMIT, now), remainingSeconds(source, SOURCE_FAILURE_LIMIT, now)].filter(
    (wait): wait is number => wait !== null,
  );
  return waits.length === 0 ? null : Math.max(...waits);
}

/** Records one failure; returns its rowid so a provisional failure can be withdrawn. */
export async function recordFailure(db: Queryable, guesser: Guesser, kind: 'password' | 'code', now: Date): Promise<number> {
  const row = await db.get<{ rowid: number }>('INSERT INTO sign_in_failures (account, source, kind, at) VALUES (?, ?, ?, ?) RETURNING rowid',
    guesser.account, guesser.source, kind, now.toISOString());
  return row!.rowid;
}

/** The lock a guesser's check-and-count takes, so parallel guesses (on any instance) are counted one by one. */
export function guesserLock(guesser: Guesser): string {
  return `sign-in-failures:${guesser.source}`;
}

/** Withdraws a provisional failure (the password turned out right, or the attempt never ran). */
export async function withdrawFailure(db: Queryable, rowid: number): Promise<void> {
  await db.run('DELETE FROM sign_in_failures WHERE rowid = ?', rowid);
}

/** Forgets failures that no longer count anywhere. */
export async function pruneFailures(db: Queryable, now: Date): Promise<void> {
  await db.run('DELETE FROM sign_in_failures WHERE at <= ?', new Date(now.getTime() - FAILURE_WINDOW_MS).toISOString());
}
