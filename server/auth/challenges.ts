import { randomBytes } from 'node:crypto';
import type { TwoFactorMethod } from '../../common/api';
import type { Queryable } from '../db/store';
import { challengeExpired, rateLimited } from './auth-errors';
import { CODE_LIFETIME_SECONDS } from './codes';

/** A sign-in challenge (password accepted, second factor outstanding) lives 10 minutes. */
export const CHALLENGE_LIFETIME_SECONDS = 10 * 60;
/** Wrong codes a challenge takes; the 5th kills it. */
export const MAX_WRONG_CODES = 5;
/** Sends (SMS or voice) per challenge, and the wait between two of them. */
export const MAX_SENDS = 5;
export const RESEND_COOLDOWN_SECONDS = 30;
/** Challenge ids are 256 random bits in base64url (43 characters). */
export const challengeIdPattern = /^[A-Za-z0-9_-]{43}$/;

/** What a challenge's second factor may be checked against: the employee's current enrolment. */
export interface FactorSource {
  cell_phone: string | null;
  totp_secret: string | null;
  two_factor_method: TwoFactorMethod | null;
}

export type ChallengePurpose = 'sign_in' | 'step_up';

export interface ChallengeRow extends FactorSource {
  id: string;
  employee_id: string;
  email: string;
  sign_in_locked_at: string | null;
  purpose: ChallengePurpose;
  /** Step-up only: the session (token family) whose second factor is being confirmed again. */
  family_id: string | null;
  expires_at: string;
  code_hash: string | null;
  code_method: 'sms' | 'voice' | null;
  code_expires_at: string | null;
  sends: number;
  last_sent_at: string | null;
  failed_attempts: number;
  state: 'open' | 'killed' | 'used';
}

/**
 * The second factors an employee can use, preferred first: an authenticator app when that is their
 * method, SMS and voice to the cell phone on record, an enrolled authenticator app last otherwise.
 */
export function methodsFor(employee: FactorSource): TwoFactorMethod[] {
  const hasTotp = employee.totp_secret !== null;
  const methods: TwoFactorMethod[] = [];
  if (hasTotp && employee.two_factor_method === 'totp') methods.push('totp');
  if (employee.cell_phone !== null) methods.push(...(employee.two_factor_method === 'voice' ? (['voice', 'sms'] as const) : (['sms', 'voice'] as const)));
  if (hasTotp && !methods.includes('totp')) methods.push('totp');
  return methods;
}

/** What sign-in challenges and phone verifications share: a code sent a limited number of times. */
export interface SendsCodes {
  expires_at: string;
  sends: number;
  last_sent_at: string | null;
}

/** Refuses a send (429) past MAX_SENDS or within the cooldown; `what` names the challenge in the message. */
export function checkSendAllowed(row: SendsCodes, now: Date, what: { limit: string }): void {
  if (row.sends >= MAX_SENDS) {
    const untilExpiry = (new Date(row.expires_at).getTime() - now.getTime()) / 1000;
    throw rateLimited(untilExpiry, what.limit);
  }
  if (row.last_sent_at !== null) {
    const wait = RESEND_COOLDOWN_SECONDS - (now.getTime() - new Date(row.last_sent_at).getTime()) / 1000;
    if (wait > 0) throw rateLimited(wait, `A code was just sent. Wait ${Math.ceil(wait)} s before asking for another.`);
  }
}

/** A sent code's expiry: its own lifetime, never past the challenge's. */
export function codeExpiry(row: SendsCodes, now: Date): string {
  return new Date(Math.min(now.getTime() + CODE_LIFETIME_SECONDS * 1000, new Date(row.expires_at).getTime())).toISOString();
}

export function newChallengeId(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Starts a challenge for an employee whose password was right (or, to step up, for a signed-in
 * session's own employee); old dead challenges are cleared.
 */
export async function createChallenge(
  db: Queryable,
  employeeId: string,
  now: Date,
  stepUp: { familyId: string } | null = null,
): Promise<{ id: string; expiresAt: string }> {
  const id = newChallengeId();
  const expiresAt = new Date(now.getTime() + CHALLENGE_LIFETIME_SECONDS * 1000).toISOString();
  await db.transaction(async (tx) => {
    await tx.run('DELETE FROM challenges WHERE expires_at < ?', new Date(now.getTime() - 24 * 60 * 60 * 1000).toISOString());
    await tx.run('INSERT INTO challenges (id, employee_id, created_at, expires_at, purpose, family_id) VALUES (?, ?, ?, ?, ?, ?)',
      id, employeeId, now.toISOString(), expiresAt, stepUp ? 'step_up' : 'sign_in', stepUp?.familyId ?? null);
  });
  return { id, expiresAt };
}

/**
 * The challenge if it can still be answered; 410 `challenge_expired` when it is unknown, timed out,
 * killed by wrong codes or already used (a replayed code lands here). One answer for all four, so the
 * endpoint reveals nothing about challenges it does not hold.
 */
export async function loadOpenChallenge(db: Queryable, id: string, now: Date, purpose: ChallengePurpose | 'any' = 'any'): Promise<ChallengeRow> {
  const row = await db.get<ChallengeRow>(
      `SELECT c.id, c.employee_id, c.expires_at, c.code_hash, c.code_method, c.code_expires_at, c.sends,
              c.last_sent_at, c.failed_attempts, c.state, c.purpose, c.family_id,
              e.email, e.sign_in_locked_at, e.cell_phone, e.totp_secret, e.two_factor_method
         FROM challenges c JOIN employees e ON e.id = c.employee_id
        WHERE c.id = ? AND e.locked = 0`,
      id,
    );
  if (!row || row.state !== 'open' || row.expires_at <= now.toISOString()) throw challengeExpired();
  // A step-up challenge never turns into a new session (that would skip the password), nor the reverse.
  if (purpose !== 'any' && row.purpose !== purpose) throw challengeExpired();
  return row;
}
