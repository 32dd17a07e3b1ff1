/**
 * Removes secrets from anything about to be logged: by key name (password, code, token,
 * Authorization, cookie, secret…) and by value pattern (bearer credentials, JWTs, long opaque
 * tokens, PEM private keys, one-time codes inside text). Logs outlive sessions and get attached to
 * bug reports, so they must never hold a credential, whatever the caller passed.
 */

export const REDACTED = '[redacted]';

/** Keys whose value is always a secret, whatever it looks like. Compared lower-cased, without `-`/`_`. */
const SECRET_KEYS = new Set([
  'password',
  'passwd',
  'pass',
  'passcode',
  'otp',
  'totp',
  'pin',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'token',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'secret',
  'clientsecret',
  'apikey',
  'privatekey',
  'key',
  'challengeid',
]);
/** Key fragments that mark a secret (e.g. `newPassword`, `x-session-token`). */
const SECRET_KEY_FRAGMENTS = ['password', 'token', 'secret', 'authorization', 'cookie', 'privatekey'];

/**
 * `code` is a secret when it holds a one-time code but not when it is an error code
 * (`{code: 'offline'}`), which logs need to stay useful.
 */
const CODE_KEYS = new Set(['code', 'verificationcode', 'smscode', 'onetimecode']);

const VALUE_PATTERNS: readonly RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi,
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, // JWT
  /(?<![A-Za-z0-9_-])(?![0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![A-Za-z0-9_-]))[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g, // opaque tokens (the portal's are 43 base64url chars), not UUIDs
  /(?<![\d.:+-])\d{6,8}(?![\d.:])/g, // one-time codes in text ("your code is 123456")
];

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

export function isSecretKey(key: string): boolean {
  const normalized = normalizeKey(key);
  return SECRET_KEYS.has(normalized) || SECRET_KEY_FRAGMENTS.some((fragment) => normalized.includes(fragment));
}

/**
 * Secrets main holds right now (a password during its login call, the session's tokens), so that
 * they are removed from log text even where no pattern would recognise them (a password inside an
 * error message). Registered by value, removed again when they stop being used.
 */
const knownSecrets = new Map<string, number>();

/** Registers a live secret; call the returned function once it is no longer held. */
export function rememberSecret(value: string): () => void {
  if (value.length < 4) return () => undefined; // too short to replace without destroying ordinary text
  knownSecrets.set(value, (knownSecrets.get(value) ?? 0) + 1);
  let isForgotten = false;
  return () => {
    if (isForgotten) return;
    isForgotten = true;
    const count = (knownSecrets.get(value) ?? 1) - 1;
    if (count <= 0) knownSecrets.delete(value);
    else knownSecrets.set(value, count);
  };
}

export function redactString(text: string): string {
  let result = text;
  for (const secret of knownSecrets.keys()) if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  for (const pattern of VALUE_PATTERNS) {
    result = result.replace(pattern, (match, scheme: unknown) =>
      typeof scheme === 'string' && /^(bearer|basic)$/i.test(scheme) ? `${scheme} ${REDACTED}` : REDACTED,
    );
  }
  return result;
}

const MAX_DEPTH = 8;
const MAX_STRING = 4096;
const MAX_ITEMS = 100;

/** A plain, JSON-safe, secret-free copy of `value`. Never throws. */
export function redact(value: unknown): unknown {
  try {
    return redactValue(value, 0, new WeakSet());
  } catch {
    return '[unloggable]';
  }
}

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (value === null || value === undefined) return value;
  switch (typeof value) {
    case 'string': {
      const clipped = value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… (${value.length} chars)` : value;
      return redactString(clipped);
    }
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'symbol':
    case 'function':
      return `[${typeof value}]`;
    default:
      break;
  }
  const object = value as object;
  if (seen.has(object)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[deep]';
  seen.add(object);
  if (object instanceof Error) return redactError(object, depth, seen);
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString();
  if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer) return `[binary ${object.byteLength} bytes]`;
  if (Array.isArray(object)) {
    const items = object.slice(0, MAX_ITEMS).map((item) => redactValue(item, depth + 1, seen));
    if (object.length > MAX_ITEMS) items.push(`… ${object.length - MAX_ITEMS} more`);
    return items;
  }
  if (object instanceof Map) return redactEntries([...object.entries()].map(([k, v]) => [String(k), v]), depth, seen);
  if (object instanceof Set) return redactValue([...object], depth, seen);
  return redactEntries(Object.entries(object), depth, seen);
}

function redactEntries(entries: [string, unknown][], depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const result: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  let count = 0;
  for (const [key, item] of entries) {
    if (count++ >= MAX_ITEMS) {
      result['…'] = `${entries.length - MAX_ITEMS} more keys`;
      break;
    }
    // Transport internals (axios/node) carry headers and bodies: never walk into them.
    if (key === 'config' || key === 'request' || key === 'response' || key === 'socket' || key === 'agent' || (key === 'headers' && !isPlainHeaders(item))) {
      result[key] = '[omitted]';
    } else if (isSecretKey(key)) {
      result[key] = item === null || item === undefined || item === '' ? item : REDACTED;
    } else if (CODE_KEYS.has(normalizeKey(key)) && (typeof item === 'number' || (typeof item === 'string' && /\d/.test(item)))) {
      result[key] = REDACTED;
    } else {
      result[key] = redactValue(item, depth + 1, seen);
    }
  }
  return result;
}

function isPlainHeaders(value: unknown): boolean {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
}

function redactError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const result: Record<string, unknown> = { name: error.name, message: redactString(error.message) };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && !/^\d+$/.test(code)) result.code = code;
  if (error.stack) result.stack = redactString(error.stack.split('\n').slice(0, 8).join('\n'));
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined) result.cause = redactValue(cause, depth + 1, seen);
  return result;
}
