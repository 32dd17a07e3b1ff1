import type { TokenResponse, TwoFactorMethod } from '../../common/api';
import type { Clock } from '../clock';
import type { Db } from '../db/connection';
import { challengeExpired, invalidCode, rateLimited } from './auth-errors';
import { loadOpenChallenge, MAX_WRONG_CODES, methodsFor, type ChallengeRow } from './challenges';
import { codeMatches } from './codes';
import { accountRetryAfter, recordFailure } from './rate-limit';
import { issueTokenPair } from './tokens';
import { consumeTotp } from './totp';
import { loadPortalUser } from './users';

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

function codeIsRight(deps: { db: Db; dataKey: Buffer }, challenge: ChallengeRow, code: string, method: TwoFactorMethod | undefined, now: Date): boolean {
  if (factorFor(challenge, method) === 'totp') {
    return challenge.totp_secret !== null && consumeTotp(deps.db, deps.dataKey, challenge.employee_id, challenge.totp_secret, code, now);
  }
  return (
    challenge.code_hash !== null &&
    challenge.code_expires_at !== null &&
    challenge.code_expires_at > now.toISOString() &&
    codeMatches(deps.dataKey, challenge.id, code, challenge.code_hash)
  );
}

/**
 * Step 2 of sign-in: checks the second factor and, if right, closes the challenge and issues the
 * first token pair of a new family. All synchronous (better-sqlite3), so two requests cannot both
 * spend the same challenge or the same TOTP step.
 */
export function verifyChallenge(
  deps: { db: Db; clock: Clock; dataKey: Buffer },
  challengeId: string,
  code: string,
  method: TwoFactorMethod | undefined,
): TokenResponse {
  const { db } = deps;
  const now = deps.clock.now();
  const challenge = loadOpenChallenge(db, challengeId, now);
  const retryAfter = accountRetryAfter(db, challenge.employee_id, now);
  if (retryAfter !== null) throw rateLimited(retryAfter);

  if (!codeIsRight(deps, challenge, code, method, now)) {
    const wrong = challenge.failed_attempts + 1;
    db.transaction(() => {
      db.prepare(`UPDATE challenges SET failed_attempts = ?, state = CASE WHEN ? >= ? THEN 'killed' ELSE state END WHERE id = ?`).run(
        wrong, wrong, MAX_WRONG_CODES, challenge.id);
      recordFailure(db, challenge.employee_id, now);
    })();
    throw invalidCode(Math.max(0, MAX_WRONG_CODES - wrong));
  }

  const tokens = db.transaction(() => {
    // Single use: the code's hash goes with the challenge's last state change.
    const spent = db.prepare(`UPDATE challenges SET state = 'used', code_hash = NULL WHERE id = ? AND state = 'open'`).run(challenge.id);
    if (spent.changes !== 1) throw challengeExpired();
    db.prepare('UPDATE employees SET last_login_at = ? WHERE id = ?').run(now.toISOString(), challenge.employee_id);
    return issueTokenPair(db, challenge.employee_id, now);
  })();
  return {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresIn: tokens.expiresIn,
    user: loadPortalUser(db, challenge.employee_id),
  };
}
