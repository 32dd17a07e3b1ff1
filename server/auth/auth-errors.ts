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

export const SIGN_IN_LOCKED_MESSAGE = 'Too many wrong codes. Ask your administrator to unlock your sign-in.';

export function signInLocked(): HttpError {
  return new HttpError(403, 'sign_in_locked', SIGN_IN_LOCKED_MESSAGE);
}

export function serverBusy(): HttpError {
  return new HttpError(503, 'server_busy', 'The portal is busy with other sign-ins. Try again in a moment.', { retryAfter: 1 });
}

export const STEP_UP_MESSAGE = 'Confirm it is you: enter a code from your second factor to continue.';

export function stepUpRequired(): HttpError {
  return new HttpError(401, 'step_up_required', STEP_UP_MESSAGE);
}
