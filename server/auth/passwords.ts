import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// scrypt parameters (OWASP: N=2^17, r=8, p=1 is the 2023 floor for interactive logins; 2^15 keeps
// the reference server responsive on 2 cores while still costing an attacker ~32 MiB per guess).
const N = 2 ** 15;
const r = 8;
const p = 1;
const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

/** `scrypt$N$r$p$salt$hash`, base64url parts. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password.normalize('NFKC'), salt, KEY_LENGTH, { N, r, p, maxmem: MAX_MEMORY });
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export function verifyPassword(password: string, stored: string): boolean {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, rr, pp, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64url');
  const actual = scryptSync(password.normalize('NFKC'), Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(rr),
    p: Number(pp),
    maxmem: MAX_MEMORY,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * verifyPassword off the event loop (libuv's thread pool), so a sign-in does not stall every other
 * request for the ~50–100 ms scrypt costs. Same answers as verifyPassword.
 */
export async function verifyPasswordAsync(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, rr, pp, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64url');
  const options: ScryptOptions = { N: Number(n), r: Number(rr), p: Number(pp), maxmem: MAX_MEMORY };
  const actual = await new Promise<Buffer>((resolve, reject) => {
    scrypt(password.normalize('NFKC'), Buffer.from(salt, 'base64url'), expected.length, options, (error, key) =>
      error ? reject(error) : resolve(key));
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * A hash to verify against when the account does not exist, so an unknown email costs the same
 * scrypt work as a wrong password (no timing oracle for which emails exist).
 */
export const DUMMY_PASSWORD_HASH = hashPassword(randomBytes(16).toString('hex'));
