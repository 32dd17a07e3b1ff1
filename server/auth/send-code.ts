import type { z } from 'zod';
import type { sendCodeResponseSchema } from '../../common/api';
import { maskPhone } from '../../common/phone';
import type { Clock } from '../clock';
import type { Queryable, Store } from '../db/store';
import { HttpError } from '../http/errors';
import type { SmsProvider } from '../sms/provider';
import { rateLimited } from './auth-errors';
import { checkSendAllowed, codeExpiry, loadOpenChallenge, MAX_SENDS, RESEND_COOLDOWN_SECONDS } from './challenges';
import { codeMessage, generateCode, hashCode, hashRecipient } from './codes';

export type SendCodeResult = z.infer<typeof sendCodeResponseSchema>;

/**
 * Codes (SMS and voice together) per account and, separately, per phone number: at most 10 an hour
 * and 30 a day, so neither a sign-in page nor several accounts sharing a number can be turned into
 * a way to flood someone's phone (or the carrier bill).
 */
export const SEND_LIMITS = [
  { count: 10, windowMs: 60 * 60 * 1000, words: 'an hour' },
  { count: 30, windowMs: 24 * 60 * 60 * 1000, words: 'a day' },
] as const;

/** Seconds until one more code may go to this account and this number, or null if one may go now. */
async function sendRetryAfter(db: Queryable, employeeId: string, recipientHash: string, now: Date): Promise<{ seconds: number; words: string } | null> {
  for (const limit of SEND_LIMITS) {
    const since = new Date(now.getTime() - limit.windowMs).toISOString();
    for (const [column, value] of [['employee_id', employeeId], ['recipient_hash', recipientHash]] as const) {
      const rows = await db.all<{ at: string }>(`SELECT at FROM code_sends WHERE ${column} = ? AND at > ? ORDER BY at DESC LIMIT ?`, value, since, limit.count);
      if (rows.length < limit.count) continue;
      // The oldest of the last `count` sends must leave the window before another may go.
      const seconds = (new Date(rows[rows.length - 1]!.at).getTime() + limit.windowMs - now.getTime()) / 1000;
      return { seconds, words: limit.words };
    }
  }
  return null;
}

/**
 * Sends a fresh code for a challenge by SMS or voice. The new code replaces the previous one (only
 * its keyed hash is stored). 30 s between sends and 5 sends per challenge, else 429 + Retry-After.
 */
export async function sendChallengeCode(
  deps: { db: Store; clock: Clock; dataKey: Buffer; sms: SmsProvider },
  challengeId: string,
  method: 'sms' | 'voice',
): Promise<SendCodeResult> {
  const { db } = deps;
  const now = deps.clock.now();
  const challenge = await loadOpenChallenge(db, challengeId, now);
  const phone = challenge.cell_phone;
  if (phone === null) throw new HttpError(400, 'bad_request', 'This account has no cell phone number to send a code to. Use the authenticator app.');

  checkSendAllowed(challenge, now, { limit: `No more codes can be sent for this sign-in (${MAX_SENDS} were sent). Sign in again later.` });

  const recipientHash = hashRecipient(deps.dataKey, phone);

  const code = generateCode();
  // A code never outlives its challenge.
  const codeExpiresAt = codeExpiry(challenge, now);
  // Guarded on the send count read above, so two racing sends cannot both pass the checks.
  const updated = await db.transaction(async (tx) => {
    // The account's and the number's counts are checked and raised under one lock per account, and
    // per number, so parallel requests (on any instance) cannot all pass the check.
    await tx.lock(`code-sends:${challenge.employee_id}`);
    await tx.lock(`code-sends:${recipientHash}`);
    const limited = await sendRetryAfter(tx, challenge.employee_id, recipientHash, now);
    if (limited) {
      const counts = SEND_LIMITS.map((limit) => `${limit.count} ${limit.words}`).join(', ');
      throw rateLimited(limited.seconds, `Too many codes were sent to this account or number (at most ${counts}). Try again later or use the authenticator app.`);
    }
    const changed = (await tx.run(
      `UPDATE challenges SET code_hash = ?, code_method = ?, code_expires_at = ?, sends = sends + 1, last_sent_at = ?
        WHERE id = ? AND state = 'open' AND sends = ?`,
      hashCode(deps.dataKey, challenge.id, code), method, codeExpiresAt, now.toISOString(), challenge.id, challenge.sends)).changes;
    if (changed !== 1) return false;
    await tx.run('DELETE FROM code_sends WHERE at <= ?', new Date(now.getTime() - SEND_LIMITS[1].windowMs).toISOString());
    await tx.run('INSERT INTO code_sends (employee_id, recipient_hash, at) VALUES (?, ?, ?)', challenge.employee_id, recipientHash, now.toISOString());
    return true;
  });
  if (!updated) throw rateLimited(RESEND_COOLDOWN_SECONDS, 'A code was just sent. Wait before asking for another.');

  try {
    await deps.sms.send({ channel: method, recipient: phone, text: codeMessage(code) });
  } catch {
    // The carrier logged what went wrong (never the code); the person gets a plain answer.
    throw new HttpError(502, 'server_error', 'The code could not be sent just now. Try again in a moment, or use another method.');
  }
  return {
    sent: true,
    method,
    destination: maskPhone(phone) ?? '',
    resendAfter: RESEND_COOLDOWN_SECONDS,
    sendsLeft: MAX_SENDS - challenge.sends - 1,
  };
}
