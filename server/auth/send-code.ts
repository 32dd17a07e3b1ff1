import type { z } from 'zod';
import type { sendCodeResponseSchema } from '../../common/api';
import { maskPhone } from '../../common/phone';
import type { Clock } from '../clock';
import type { Db } from '../db/connection';
import { HttpError } from '../http/errors';
import type { SmsProvider } from '../sms/provider';
import { rateLimited } from './auth-errors';
import { loadOpenChallenge, MAX_SENDS, RESEND_COOLDOWN_SECONDS } from './challenges';
import { CODE_LIFETIME_SECONDS, codeMessage, generateCode, hashCode } from './codes';

export type SendCodeResult = z.infer<typeof sendCodeResponseSchema>;

/**
 * Sends a fresh code for a challenge by SMS or voice. The new code replaces the previous one (only
 * its keyed hash is stored). 30 s between sends and 5 sends per challenge, else 429 + Retry-After.
 */
export async function sendChallengeCode(
  deps: { db: Db; clock: Clock; dataKey: Buffer; sms: SmsProvider },
  challengeId: string,
  method: 'sms' | 'voice',
): Promise<SendCodeResult> {
  const { db } = deps;
  const now = deps.clock.now();
  const challenge = loadOpenChallenge(db, challengeId, now);
  const phone = challenge.cell_phone;
  if (phone === null) throw new HttpError(400, 'bad_request', 'This account has no cell phone number to send a code to. Use the authenticator app.');

  if (challenge.sends >= MAX_SENDS) {
    // No more sends on this challenge: the wait is until it ends and a new sign-in can start.
    const untilExpiry = (new Date(challenge.expires_at).getTime() - now.getTime()) / 1000;
    throw rateLimited(untilExpiry, `No more codes can be sent for this sign-in (${MAX_SENDS} were sent). Sign in again later.`);
  }
  if (challenge.last_sent_at !== null) {
    const wait = RESEND_COOLDOWN_SECONDS - (now.getTime() - new Date(challenge.last_sent_at).getTime()) / 1000;
    if (wait > 0) throw rateLimited(wait, `A code was just sent. Wait ${Math.ceil(wait)} s before asking for another.`);
  }

  const code = generateCode();
  // A code never outlives its challenge.
  const codeExpiresAt = new Date(Math.min(now.getTime() + CODE_LIFETIME_SECONDS * 1000, new Date(challenge.expires_at).getTime())).toISOString();
  // Guarded on the send count read above, so two racing sends cannot both pass the checks.
  const updated = db
    .prepare(
      `UPDATE challenges SET code_hash = ?, code_method = ?, code_expires_at = ?, sends = sends + 1, last_sent_at = ?
        WHERE id = ? AND state = 'open' AND sends = ?`,
    )
    .run(hashCode(deps.dataKey, challenge.id, code), method, codeExpiresAt, now.toISOString(), challenge.id, challenge.sends);
  if (updated.changes !== 1) throw rateLimited(RESEND_COOLDOWN_SECONDS, 'A code was just sent. Wait before asking for another.');

  await deps.sms.send({ channel: method, recipient: phone, text: codeMessage(code) });
  return {
    sent: true,
    method,
    destination: maskPhone(phone) ?? '',
    resendAfter: RESEND_COOLDOWN_SECONDS,
    sendsLeft: MAX_SENDS - challenge.sends - 1,
  };
}
