import { HttpError } from '../http/errors';

/**
 * The sign-in answers that must not vary. `invalidCredentials` is one frozen wording for an unknown
 * email, a wrong password, a locked account and an account without a password alike, so neither the
 * status nor the body tells an attacker which emails exist.
 */
export const INVALID_CREDENTIALS_MESSAGE = 'The email or password is not right.';

export function invalidCredentials(): HttpError {
  return new HttpError(401, 'invalid_credentials', INVALID_CREDENTIALS_MESSAGE);
}

export function challengeExpired(): HttpError {
  return new HttpError(410, 'challenge_expired', 'This sign-in has expired or was ended. Sign in again.');
}

export function rateLimited(retryAfterSeconds: number, message = 'Too many attempts. Wait before trying again.'): HttpError {
  return new HttpError(429, 'rate_limited', message, { retryAfter: Math.max(1, Math.ceil(retryAfterSeconds)) });
}

export function invalidCode(attemptsLeft: number): HttpError {
  const message =
    attemptsLeft > 0
      ? `That code is not right. ${attemptsLeft} ${attemptsLeft === 1 ? 'attempt' : 'attempts'} left.`
      : 'That code is not right, and this sign-in has ended. Sign in again for a new code.';
  return new HttpError(401, 'invalid_code', message, { attemptsLeft });
}

export function sessionEnded(): HttpError {
  return new HttpError(401, 'unauthenticated', 'Your session has ended. Sign in again.');
}
