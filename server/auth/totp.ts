import { Secret, TOTP } from 'otpauth';
import type { Queryable } from '../db/store';
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
 * Check and consume run in one transaction under the employee's lock, so two requests (on any
 * instance) cannot both consume the same step.
 */
export async function consumeTotp(db: Queryable, dataKey: Buffer, employeeId: string, sealedSecret: string, code: string, at: Date): Promise<boolean> {
  const step = matchTotpStep(openSecret(dataKey, sealedSecret), code, at);
  if (step === null) return false;
  return db.transaction(async (tx) => {
    await tx.lock(`totp:${employeeId}`);
    const newest = await tx.get<{ step: number | null }>('SELECT max(step) AS step FROM totp_used_steps WHERE employee_id = ?', employeeId);
    if (newest?.step != null && step <= Number(newest.step)) return false;
    await tx.run('INSERT INTO totp_used_steps (employee_id, step) VALUES (?, ?)', employeeId, step);
    // Only the newest step matters from now on; keep a few for the record, drop the rest.
    await tx.run('DELETE FROM totp_used_steps WHERE employee_id = ? AND step < ?', employeeId, step - 10);
    return true;
  });
}
