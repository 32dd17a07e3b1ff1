import type { Challenge, TwoFactorMethod } from '../../common/api';
import { maskPhone } from '../../common/phone';
import type { Clock } from '../clock';
import type { Store } from '../db/store';
import { HttpError } from '../http/errors';
import { invalidCredentials, rateLimited, serverBusy, signInLocked } from './auth-errors';
import { createChallenge, methodsFor } from './challenges';
import type { HashingSlots } from './hashing-slots';
import { DUMMY_PASSWORD_HASH, verifyPasswordAsync } from './passwords';
import { accountKey, guesserLock, guesserRetryAfter, pruneFailures, recordFailure, withdrawFailure } from './rate-limit';

interface LoginRow {
  id: string;
  password_hash: string | null;
  locked: number;
  sign_in_locked_at: string | null;
  cell_phone: string | null;
  totp_secret: string | null;
  two_factor_method: TwoFactorMethod | null;
}

/**
 * Step 1 of sign-in: checks the password and opens a second-factor challenge. Never issues a token
 * and never sends a code by itself (the client asks for one with /send).
 *
 * Unknown email, wrong password, locked account and an account without a password all end in the
 * same 401 after the same scrypt work (DUMMY_PASSWORD_HASH stands in for a missing hash), the same
 * throttling (counted per e-mail as typed and source address, see rate-limit.ts) and the same
 * database writes before it.
 */
export async function startLogin(
  deps: { db: Store; clock: Clock; hashingSlots: HashingSlots },
  email: string,
  password: string,
  source: string,
): Promise<Challenge> {
  const { db } = deps;
  const now = deps.clock.now();
  const guesser = { account: accountKey(email), source };
  const employee = await db.get<LoginRow>(
    'SELECT id, password_hash, locked, sign_in_locked_at, cell_phone, totp_secret, two_factor_method FROM employees WHERE email = ?',
    email.trim(),
  );

  // Check the limit and count this attempt as a failure in one transaction under the source's lock,
  // *before* the scrypt: otherwise a burst of parallel guesses (on any instance) would all pass the check.
  const provisionalFailure = await db.transaction(async (tx) => {
    await tx.lock(guesserLock(guesser));
    const retryAfter = await guesserRetryAfter(tx, guesser, now);
    if (retryAfter !== null) throw rateLimited(retryAfter);
    await pruneFailures(tx, now);
    return recordFailure(tx, guesser, 'password', now);
  });

  const checked = await deps.hashingSlots.run(() => verifyPasswordAsync(password, employee?.password_hash ?? DUMMY_PASSWORD_HASH));
  if (checked === null) {
    // Refused before any work: not a guess, so not a failure either.
    await withdrawFailure(db, provisionalFailure);
    throw serverBusy();
  }
  if (!employee || employee.password_hash === null || !checked.value) throw invalidCredentials();
  await withdrawFailure(db, provisionalFailure);
  if (employee.locked !== 0) throw invalidCredentials();
  // The password was right, so saying why helps no guesser; it tells the user whom to ask.
  if (employee.sign_in_locked_at !== null) throw signInLocked();

  const methods = methodsFor(employee);
  if (methods.length === 0) {
    throw new HttpError(403, 'forbidden', 'This account has no second factor (no cell phone number or authenticator app). Ask a portal administrator to add your cell phone number.');
  }
  const challenge = await createChallenge(db, employee.id, now);
  return {
    challengeId: challenge.id,
    methods,
    destination: maskPhone(employee.cell_phone),
    expiresAt: challenge.expiresAt,
  };
}
