import { Secret, TOTP } from 'otpauth';
import type { Db } from '../db/connection';
import { openSecret } from './secret-box';

/** RFC 6238 as authenticator apps implement it: HMAC-SHA1, 6 digits, 30 s steps. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps either side of now that are accepted, for clock drift between phone and server. */
export const TOTP_WINDOW = 1;

/** The TOTP time step `at` falls in. */
export function totpStep(at: Date): number {
  return TOTP.counter({ period: TOTP_PERIOD_SECONDS, timestamp: at.getTime() });
}

/** The step a code belongs to, within ±TOTP_WINDOW of `at`, or null if it is none of them. */
export function matchTotpStep(secretBase32: string, code: string, at: Date): number | null {
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    timestamp: at.getTime(),
    window: TOTP_WINDOW,
  });
  return delta === null ? null : totpStep(at) + delta;
}

/**
 * Checks a TOTP code for an employee and consumes its time step. RFC 6238 §5.2: a verifier must not
 * accept the same OTP twice. Stricter still, a step at or before the newest step already accepted
 * is refused, so a code seen over someone's shoulder cannot be used after the user's own sign-in.
 * Runs synchronously (better-sqlite3), so check and consume cannot interleave with another request.
 */
export function consumeTotp(db: Db, dataKey: Buffer, employeeId: string, sealedSecret: string, code: string, at: Date): boolean {
  const step = matchTotpStep(openSecret(dataKey, sealedSecret), code, at);
  if (step === null) return false;
  const newest = db.prepare('SELECT max(step) AS step FROM totp_used_steps WHERE employee_id = ?').get(employeeId) as { step: number | null };
  if (newest.step !== null && step <= newest.step) return false;
  db.transaction(() => {
    db.prepare('INSERT INTO totp_used_steps (employee_id, step) VALUES (?, ?)').run(employeeId, step);
    // Only the newest step matters from now on; keep a few for the record, drop the rest.
    db.prepare('DELETE FROM totp_used_steps WHERE employee_id = ? AND step < ?').run(employeeId, step - 10);
  })();
  return true;
}
