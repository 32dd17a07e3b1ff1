import type { Challenge, TwoFactorMethod } from '../../common/api';
import { maskPhone } from '../../common/phone';
import type { Clock } from '../clock';
import type { Db } from '../db/connection';
import { HttpError } from '../http/errors';
import { invalidCredentials, rateLimited } from './auth-errors';
import { createChallenge, methodsFor } from './challenges';
import { DUMMY_PASSWORD_HASH, verifyPasswordAsync } from './passwords';
import { accountRetryAfter, pruneFailures, recordFailure, withdrawFailure } from './rate-limit';

interface LoginRow {
  id: string;
  password_hash: string | null;
  locked: number;
  cell_phone: string | null;
  totp_secret: string | null;
  two_factor_method: TwoFactorMethod | null;
}

/**
 * Step 1 of sign-in: checks the password and opens a second-factor challenge. Never issues a token
 * and never sends a code by itself (the client asks for one with /send).
 *
 * Unknown email, wrong password, locked account and an account without a password all end in the
 * same 401 after the same scrypt work (DUMMY_PASSWORD_HASH stands in for a missing hash) and the
 * same one database write before it. The one thing that can differ is the 429 of an account that
 * is being guessed at: an unknown email has no account to slow down and keeps answering 401.
 */
export async function startLogin(deps: { db: Db; clock: Clock }, email: string, password: string): Promise<Challenge> {
  const { db } = deps;
  const now = deps.clock.now();
  const employee = db
    .prepare('SELECT id, password_hash, locked, cell_phone, totp_secret, two_factor_method FROM employees WHERE email = ?')
    .get(email.trim()) as LoginRow | undefined;

  // Check the limit and count this attempt as a failure in one synchronous step, *before* the
  // (asynchronous) scrypt: otherwise a burst of parallel guesses would all pass the check.
  let provisionalFailure: number | bigint | null = null;
  if (employee) {
    const retryAfter = accountRetryAfter(db, employee.id, now);
    if (retryAfter !== null) throw rateLimited(retryAfter);
    provisionalFailure = db.transaction(() => {
      pruneFailures(db, now);
      return recordFailure(db, employee.id, now);
    })();
  } else {
    pruneFailures(db, now);
  }

  const passwordMatches = await verifyPasswordAsync(password, employee?.password_hash ?? DUMMY_PASSWORD_HASH);
  if (!employee || employee.password_hash === null || !passwordMatches) throw invalidCredentials();
  if (provisionalFailure !== null) withdrawFailure(db, provisionalFailure);
  if (employee.locked !== 0) throw invalidCredentials();

  const methods = methodsFor(employee);
  if (methods.length === 0) {
    // The password was right, so saying why does not help a guesser; it does tell the user what to do.
    throw new HttpError(403, 'forbidden', 'This account has no second factor (no cell phone number or authenticator app). Ask a portal administrator to add your cell phone number.');
  }
  const challenge = createChallenge(db, employee.id, now);
  return {
    challengeId: challenge.id,
    methods,
    destination: maskPhone(employee.cell_phone),
    expiresAt: challenge.expiresAt,
  };
}
