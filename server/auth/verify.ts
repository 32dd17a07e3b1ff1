import type { TokenResponse, TwoFactorMethod } from '../../common/api';
import type { Clock } from '../clock';
import type { Queryable, Store } from '../db/store';
import { challengeExpired, invalidCode, rateLimited, signInLocked } from './auth-errors';
import { loadOpenChallenge, MAX_WRONG_CODES, methodsFor, type ChallengeRow } from './challenges';
import { codeMatches } from './codes';
import { accountKey, guesserLock, guesserRetryAfter, recordFailure } from './rate-limit';
import { issueTokenPair } from './tokens';
import { consumeTotp } from './totp';
import { loadPortalUser } from './users';

/**
 * Wrong codes in a row (across challenges, reset only by a right code) after which the second factor
 * is locked until an administrator unlocks it (NIST SP 800-63B §5.2.2: at most 100 consecutive
 * failed attempts). With 5 codes per challenge and a password per challenge, a guesser gets at most
 * 100 tries (300 TOTP steps with the ±1 window) out of a million before an administrator is involved.
 */
export const MAX_CONSECUTIVE_WRONG_CODES = 100;

type VerifyDeps = { db: Store; clock: Clock; dataKey: Buffer };

/**
 * Which factor a code is checked against. An explicit method wins; without one, a code that was
 * sent wins, then an enrolled authenticator app. Only ever one factor per attempt, so leaving the
 * method out does not give a guesser two chances.
 */
function factorFor(challenge: ChallengeRow, method: TwoFactorMethod | undefined): 'sent' | 'totp' {
  if (method === 'totp') return 'totp';
  if (method === 'sms' || method === 'voice') return 'sent';
  if (challenge.code_hash !== null) return 'sent';
  return methodsFor(challenge).includes('totp') ? 'totp' : 'sent';
}

async function codeIsRight(deps: { db: Queryable; dataKey: Buffer }, challenge: ChallengeRow, code: string, method: TwoFactorMethod | undefined, now: Date): Promise<boolean> {
  if (factorFor(challenge, method) === 'totp') {
    return challenge.totp_secret !== null && (await consumeTotp(deps.db, deps.dataKey, challenge.employee_id, challenge.totp_secret, code, now));
  }
  return (
    challenge.code_hash !== null &&
    challenge.code_expires_at !== null &&
    challenge.code_expires_at > now.toISOString() &&
    codeMatches(deps.dataKey, challenge.id, code, challenge.code_hash)
  );
}

/**
 * Checks a challenge's code, counting a wrong one against the challenge (5), the employee's run of
 * wrong codes (100, then locked) and the guesser's throttle. Returns only when the code is right;
 * the caller then spends the challenge in its own transaction (with spendChallenge).
 */
async function checkCode(deps: VerifyDeps, challenge: ChallengeRow, code: string, method: TwoFactorMethod | undefined, source: string, now: Date): Promise<void> {
  const { db } = deps;
  if (challenge.sign_in_locked_at !== null) throw signInLocked();
  const guesser = { account: accountKey(challenge.email), source };
  const retryAfter = await guesserRetryAfter(db, guesser, now);
  if (retryAfter !== null) throw rateLimited(retryAfter);
  if (await codeIsRight(deps, challenge, code, method, now)) return;

  const { wrong, locked } = await db.transaction(async (tx) => {
    await tx.lock(guesserLock(guesser));
    // Counted in the row (not from what was read before), so parallel wrong codes each count.
    const counted = await tx.get<{ failed_attempts: number }>(
      `UPDATE challenges SET failed_attempts = failed_attempts + 1,
              state = CASE WHEN failed_attempts + 1 >= ? THEN 'killed' ELSE state END
        WHERE id = ? RETURNING failed_attempts`,
      MAX_WRONG_CODES, challenge.id);
    const wrong = counted?.failed_attempts ?? challenge.failed_attempts + 1;
    await recordFailure(tx, guesser, 'code', now);
    const employee = (await tx.get<{ sign_in_locked_at: string | null }>(
        // The lock shows in the employee list, so it moves updated_at (delta sync) but not the version.
        `UPDATE employees SET wrong_codes = wrong_codes + 1,
                sign_in_locked_at = CASE WHEN wrong_codes + 1 >= ? THEN coalesce(sign_in_locked_at, ?) ELSE sign_in_locked_at END,
                updated_at = CASE WHEN wrong_codes + 1 >= ? AND sign_in_locked_at IS NULL THEN ? ELSE updated_at END
          WHERE id = ? RETURNING sign_in_locked_at`,
      MAX_CONSECUTIVE_WRONG_CODES, now.toISOString(), MAX_CONSECUTIVE_WRONG_CODES, now.toISOString(), challenge.employee_id))!;
    if (employee.sign_in_locked_at === null) return { wrong, locked: false };
    await tx.run(`UPDATE challenges SET state = 'killed' WHERE employee_id = ? AND state = 'open'`, challenge.employee_id);
    return { wrong, locked: true };
  });
  if (locked) throw signInLocked();
  throw invalidCode(Math.max(0, MAX_WRONG_CODES - wrong));
}

/** Single use: the code's hash goes with the challenge's last state change; the run of wrong codes ends. */
async function spendChallenge(db: Queryable, challenge: ChallengeRow): Promise<void> {
  const spent = await db.run(`UPDATE challenges SET state = 'used', code_hash = NULL WHERE id = ? AND state = 'open'`, challenge.id);
  if (spent.changes !== 1) throw challengeExpired();
  await db.run('UPDATE employees SET wrong_codes = 0 WHERE id = ?', challenge.employee_id);
}

/**
 * Step 2 of sign-in: checks the second factor and, if right, closes the challenge and issues the
 * first token pair of a new family. The challenge is spent by a conditional UPDATE, so of two
 * requests (on any instance) with the same code only one gets tokens.
 */
export async function verifyChallenge(deps: VerifyDeps, challengeId: string, code: string, method: TwoFactorMethod | undefined, source: string): Promise<TokenResponse> {
  const { db } = deps;
  const now = deps.clock.now();
  const challenge = await loadOpenChallenge(db, challengeId, now, 'sign_in');
  await checkCode(deps, challenge, code, method, source, now);
  const tokens = await db.transaction(async (tx) => {
    await spendChallenge(tx, challenge);
    // The last sign-in shows in the employee list, so it moves updated_at (delta sync) but not the version.
    await tx.run('UPDATE employees SET last_login_at = ?, updated_at = ? WHERE id = ?', now.toISOString(), now.toISOString(), challenge.employee_id);
    return issueTokenPair(tx, challenge.employee_id, now);
  });
  return {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresIn: tokens.expiresIn,
    authTime: tokens.authTime,
    user: await loadPortalUser(db, challenge.employee_id),
  };
}

/**
 * Sudo mode: checks the code of a step-up challenge opened by this session (token family) and, if
 * right, records the time as the session's `auth_time`. Returns the new auth time.
 */
export async function verifyStepUp(
  deps: VerifyDeps,
  caller: { id: string; familyId: string },
  challengeId: string,
  code: string,
  method: TwoFactorMethod | undefined,
  source: string,
): Promise<{ authTime: string }> {
  const { db } = deps;
  const now = deps.clock.now();
  const challenge = await loadOpenChallenge(db, challengeId, now, 'step_up');
  // Another session's step-up is answered as if it did not exist.
  if (challenge.employee_id !== caller.id || challenge.family_id !== caller.familyId) throw challengeExpired();
  await checkCode(deps, challenge, code, method, source, now);
  const authTime = now.toISOString();
  await db.transaction(async (tx) => {
    await spendChallenge(tx, challenge);
    await tx.run('UPDATE token_families SET auth_time = ? WHERE id = ? AND revoked_at IS NULL', authTime, caller.familyId);
  });
  return { authTime };
}
