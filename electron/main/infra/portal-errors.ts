import { apiErrorSchema, employeeSchema, type ApiError } from '../../../common/api';
import { IpcFailure, type IpcErrorCode } from '../../../common/ipc';

/**
 * Turns everything that can go wrong talking to the portal into an `IpcFailure` with a contract
 * code and a plain sentence. What comes in (axios errors, Node socket errors, portal bodies) is
 * only read here; nothing of it is passed on, because transport errors carry request headers
 * (the bearer token) and configuration.
 */

export const MESSAGES = {
  offline: 'The portal cannot be reached. Check the network connection and the portal address.',
  timeout: 'The portal took too long to answer. Try again in a moment.',
  tls_untrusted:
    "The portal's certificate is not trusted for this address, so Portal Admin did not connect. Check the portal address, or the certificate file or pin in Settings.",
  unauthenticated: 'Your session has ended. Sign in again.',
  forbidden: 'Only a portal administrator may do this.',
  not_found: 'The portal has no such record (it may have been removed, or belong to another company).',
  conflict: 'Someone changed this employee on the portal after you opened it. Review the current details and try again.',
  validation: 'The portal did not accept the change. Check the highlighted fields.',
  rate_limited: 'Too many attempts. Wait a moment and try again.',
  server: 'The portal could not complete the request. Try again later.',
  not_understood: "The portal's answer was not understood. It may run an incompatible version.",
  invalid_credentials: 'The email address or password is not right.',
  invalid_code: 'That code is not right.',
  challenge_expired: 'This sign-in attempt has expired. Start again with your email and password.',
  locked: 'This account is locked for now. Try again later or ask your administrator.',
  sign_in_locked: 'Too many wrong codes. Ask your administrator to unlock your sign-in.',
  step_up_required: 'Confirm it is you: enter a code from your second factor to continue.',
  cancelled: 'The request was cancelled.',
} as const;

const OFFLINE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'ECONNRESET',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'EADDRNOTAVAIL',
  'ERR_NETWORK',
  'ERR_SOCKET_CLOSED',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'ERR_PORTAL_CONNECT_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ERR_TLS_HANDSHAKE_TIMEOUT']);
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_TLS_CERT_ALTNAME_FORMAT',
  'ERR_CERT_PIN_MISMATCH',
]);

function readCode(value: unknown): string | null {
  if (value === null || typeof value !== 'object') return null;
  const code = (value as { code?: unknown }).code;
  return typeof code === 'string' ? code : null;
}
function readMessage(value: unknown): string {
  if (value === null || typeof value !== 'object') return '';
  const message = (value as { message?: unknown }).message;
  return typeof message === 'string' ? message : '';
}

/** Every code along the error and its causes (axios wraps the Node error in `cause`). */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const code = readCode(current);
    if (code) codes.push(code);
    const nested = (current as { errors?: unknown }).errors; // AggregateError from Happy Eyeballs
    if (Array.isArray(nested)) for (const inner of nested.slice(0, 4)) codes.push(...codesOf(inner));
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/** A failure that never reached an HTTP answer: connection, DNS, TLS, timeout, cancel. */
export function failureFromTransportError(error: unknown): IpcFailure {
  if (error instanceof IpcFailure) return error;
  const codes = codesOf(error);
  const has = (set: Set<string>) => codes.some((code) => set.has(code) || (set === TLS_CODES && code.startsWith('ERR_SSL_')));
  if (codes.includes('ERR_CANCELED')) return new IpcFailure('offline', MESSAGES.cancelled);
  if (has(TLS_CODES)) return new IpcFailure('tls_untrusted', MESSAGES.tls_untrusted);
  if (has(TIMEOUT_CODES)) return new IpcFailure('timeout', MESSAGES.timeout);
  if (has(OFFLINE_CODES) || /socket hang up/i.test(readMessage(error))) return new IpcFailure('offline', MESSAGES.offline);
  return new IpcFailure('server', MESSAGES.server);
}

/** Seconds from `Retry-After` (delta-seconds or an HTTP date), else from the body, else 1. */
export function retryAfterSeconds(header: unknown, body: ApiError | null, now: number = Date.now()): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value === 'string' || typeof value === 'number') {
    const text = String(value).trim();
    if (/^\d{1,9}$/.test(text)) return Number(text);
    const date = Date.parse(text);
    if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - now) / 1000));
  }
  if (body?.retryAfter !== undefined) return body.retryAfter;
  return 1;
}

export function parseApiError(body: unknown): ApiError | null {
  const parsed = apiErrorSchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

/** A non-2xx answer of the portal. */
export function failureFromResponse(status: number, headers: Record<string, unknown>, body: unknown): IpcFailure {
  const apiError = parseApiError(body);
  const fields = apiError?.errors?.slice(0, 50).map((field) => ({
    field: field.field.slice(0, 200),
    code: field.code.slice(0, 100),
    message: field.message.slice(0, 500),
  }));
  const make = (code: IpcErrorCode, message: string, extra: ConstructorParameters<typeof IpcFailure>[2] = {}) =>
    new IpcFailure(code, message, extra);

  switch (status) {
    case 400:
      return fields && fields.length > 0 ? make('validation', MESSAGES.validation, { fields }) : make('server', MESSAGES.server);
    case 401:
      if (apiError?.code === 'invalid_credentials') return make('invalid_credentials', MESSAGES.invalid_credentials);
      if (apiError?.code === 'invalid_code') {
        return make('invalid_code', MESSAGES.invalid_code, apiError.attemptsLeft === undefined ? {} : { attemptsLeft: apiError.attemptsLeft });
      }
      if (apiError?.code === 'step_up_required') return make('step_up_required', MESSAGES.step_up_required);
      return make('unauthenticated', MESSAGES.unauthenticated);
    case 403:
      if (apiError?.code === 'sign_in_locked') return make('locked', MESSAGES.sign_in_locked);
      return make('forbidden', MESSAGES.forbidden);
    case 404:
      return make('not_found', MESSAGES.not_found);
    case 410:
      return make('challenge_expired', MESSAGES.challenge_expired);
    case 412: {
      const current = employeeSchema.safeParse(apiError?.current);
      return make('conflict', MESSAGES.conflict, current.success ? { current: current.data } : {});
    }
    case 422:
      // A wrong phone-verification code (422, not 401: the session itself is fine).
      if (apiError?.code === 'invalid_code') {
        return make('invalid_code', MESSAGES.invalid_code, apiError.attemptsLeft === undefined ? {} : { attemptsLeft: apiError.attemptsLeft });
      }
      if (apiError?.code === 'verification_required') return make('validation', apiError.message.slice(0, 500));
      return make('validation', MESSAGES.validation, fields && fields.length > 0 ? { fields } : {});
    case 423:
      return make('locked', MESSAGES.locked, { retryAfterSeconds: retryAfterSeconds(headers['retry-after'], apiError) });
    case 429:
      return make('rate_limited', MESSAGES.rate_limited, { retryAfterSeconds: retryAfterSeconds(headers['retry-after'], apiError) });
    default:
      // A 503 (or any 5xx) may say when to come back; sync must not retry sooner.
      return make('server', MESSAGES.server, status >= 500 && headers['retry-after'] !== undefined ? { retryAfterSeconds: retryAfterSeconds(headers['retry-after'], apiError) } : {});
  }
}
