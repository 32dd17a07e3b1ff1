import { z } from 'zod';

/** Every non-2xx answer of the Portal API has this shape. */
export const fieldErrorSchema = z.object({ field: z.string(), code: z.string(), message: z.string() });
export const apiErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  errors: z.array(fieldErrorSchema).optional(),
  /** 401 invalid_code: wrong codes the challenge still takes. */
  attemptsLeft: z.number().int().nonnegative().optional(),
  /** 429: seconds to wait, as in the Retry-After header. */
  retryAfter: z.number().int().nonnegative().optional(),
  /** 412: the employee as the portal holds it now. */
  current: z.unknown().optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;
export type FieldError = z.infer<typeof fieldErrorSchema>;

/** Error codes the portal uses in `ApiError.code`. */
export const API_ERROR_CODES = [
  'bad_request', // 400: malformed JSON, unknown fields, wrong types
  'invalid_credentials', // 401 on login (unknown user, wrong password, locked: all the same)
  'invalid_code', // 401 on sign-in verify; 422 on confirming a phone verification
  'challenge_expired', // 410: the challenge timed out or was killed after 5 wrong codes
  'unauthenticated', // 401: no or bad token
  'forbidden', // 403
  'not_found', // 404
  'in_progress', // 409: same Idempotency-Key still being processed
  'precondition_failed', // 412: stale If-Match
  'payload_too_large', // 413
  'unsupported_media_type', // 415
  'validation_failed', // 422
  'idempotency_key_reused', // 422: same key, different body
  'precondition_required', // 428: no If-Match
  'rate_limited', // 429
  'sign_in_locked', // 403: too many wrong codes in a row; an administrator must unlock the sign-in
  'step_up_required', // 401: a phone change needs a second factor verified within the last 2 hours
  'server_busy', // 503: too many sign-ins at once; try again after Retry-After
  'verification_required', // 422: the company accepts only numbers confirmed with a code
  'verification_expired', // 410: the phone verification timed out, was used, or took 5 wrong codes
  'changed_since_expired', // 410: a changedSince older than the deletions the portal keeps; load the whole list
  'server_error', // 5xx
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];
