/*
 * Zod-free on purpose: the renderer's first screen imports this file, and zod stays out of that bundle.
 * The matching schemas live in result-schema.ts (main validates with them).
 */

/** Error codes that cross the bridge. Raw transport errors never do. */
export const IPC_ERROR_CODES = [
  'invalid_input', // the payload failed the channel's schema
  'forbidden_sender', // the call did not come from our own top frame / authenticated page
  'invalid_credentials',
  'invalid_code',
  'challenge_expired',
  'locked',
  'rate_limited', // with retryAfterSeconds
  'offline', // the portal cannot be reached
  'timeout',
  'unauthenticated', // not signed in, or the session ended
  'forbidden', // the portal refused: not an admin
  'not_found',
  'conflict', // stale version: `current` holds the portal's employee
  'validation', // the portal rejected a field: `fields`
  'tls_untrusted', // the portal's certificate is not trusted / does not match
  'not_configured', // no portal URL yet
  'keychain_unavailable', // the OS keychain cannot be reached
  'unsynced_drafts', // sign-out: say whether to keep or discard the unsynced drafts
  'storage', // the local (encrypted) store cannot be written or read
  'server', // anything else from the portal (5xx, unexpected answers)
] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

export interface IpcError {
  code: IpcErrorCode;
  message: string;
  fields?: { field: string; code: string; message: string }[];
  retryAfterSeconds?: number;
  attemptsLeft?: number;
  /** conflict: the employee as the portal holds it now. */
  current?: unknown;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value };
}
export function fail(code: IpcErrorCode, message: string, extra: Omit<IpcError, 'code' | 'message'> = {}): IpcResult<never> {
  return { ok: false, error: { code, message, ...extra } };
}

/** An error a service throws to answer with a contract error; the gate turns it into `{ok:false}`. */
export class IpcFailure extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
    readonly extra: Omit<IpcError, 'code' | 'message'> = {},
  ) {
    super(message);
    this.name = 'IpcFailure';
  }
  toError(): IpcError {
    return { code: this.code, message: this.message, ...this.extra };
  }
}
