import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** SMS and voice codes: 6 digits, valid 10 minutes (never past their challenge). */
export const CODE_DIGITS = 6;
export const CODE_LIFETIME_SECONDS = 10 * 60;

/** A uniformly random 6-digit code from the CSPRNG (leading zeros kept). */
export function generateCode(): string {
  return randomInt(0, 10 ** CODE_DIGITS).toString().padStart(CODE_DIGITS, '0');
}

/**
 * What the database keeps instead of the code: HMAC-SHA256 under the server's data key over the
 * challenge id and the code. Keyed, because a bare hash of a 6-digit code is reversed by trying a
 * million values; bound to the challenge, so a code is worth nothing on any other challenge.
 */
export function hashCode(dataKey: Buffer, challengeId: string, code: string): string {
  return createHmac('sha256', dataKey).update(`portal-login-code\0${challengeId}\0${code}`).digest('hex');
}

export function codeMatches(dataKey: Buffer, challengeId: string, code: string, storedHash: string): boolean {
  const actual = Buffer.from(hashCode(dataKey, challengeId, code), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** What the send limits count a phone number as: a keyed hash, so the table is no copy of the numbers. */
export function hashRecipient(dataKey: Buffer, recipient: string): string {
  return createHmac('sha256', dataKey).update(`portal-code-recipient\0${recipient}`).digest('hex');
}

/** The message the carrier delivers (the same words are read out by a voice call). */
export function codeMessage(code: string): string {
  return `Your Portal login code is ${code}. It expires in ${CODE_LIFETIME_SECONDS / 60} minutes.`;
}
