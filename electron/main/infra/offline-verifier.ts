import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * The portal password, on this computer, for "Work offline": scrypt (RFC 7914) with a random salt
 * gives 64 bytes. The first half is the verifier kept in `accounts.json` (it tells a wrong password
 * from a damaged record); the second half is the wrapping key that seals the account's data key
 * (offline-keys.ts), and is never stored. So the offline copy opens only with the password: a
 * verifier made from another password, written into the file, unlocks nothing.
 *
 * The scrypt parameters are fixed here, never read from disk: an edited N would make main
 * allocate whatever the file asks for.
 */
export const verifierSchema = z.object({
  algorithm: z.literal('scrypt'),
  salt: z.string().max(64),
  hash: z.string().max(128),
});
export type Verifier = z.infer<typeof verifierSchema>;

/** OWASP Password Storage Cheat Sheet: scrypt N = 2^15, r = 8, p = 3 is one of its equivalent minimums (32 MiB per check). */
export const SCRYPT_PARAMETERS = Object.freeze({ N: 2 ** 15, r: 8, p: 3 });
const SCRYPT_OPTIONS = Object.freeze({ ...SCRYPT_PARAMETERS, maxmem: 256 * SCRYPT_PARAMETERS.N * SCRYPT_PARAMETERS.r });
const HALF = 32;

/** The wrapping key of a verifier made in this process, handed to the offline store once. */
const wrappingKeys = new WeakMap<Verifier, Buffer>();

/** Asynchronous (libuv's thread pool): main keeps answering while scrypt runs. */
function derive(password: string, salt: Buffer): Promise<{ hash: Buffer; wrappingKey: Buffer }> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, 2 * HALF, SCRYPT_OPTIONS, (error, bytes) => {
      if (error) reject(error);
      else resolve({ hash: bytes.subarray(0, HALF), wrappingKey: bytes.subarray(HALF) });
    });
  });
}

/** Made only after the portal accepted the password; its wrapping key is taken with `takeWrappingKey`. */
export async function makeVerifier(password: string): Promise<Verifier> {
  const salt = randomBytes(16);
  const { hash, wrappingKey } = await derive(password, salt);
  const verifier: Verifier = { algorithm: 'scrypt', salt: salt.toString('base64'), hash: hash.toString('base64') };
  wrappingKeys.set(verifier, wrappingKey);
  return verifier;
}

/** The wrapping key of a verifier `makeVerifier` just made (once; null for any other object). */
export function takeWrappingKey(verifier: Verifier): Buffer | null {
  const key = wrappingKeys.get(verifier) ?? null;
  wrappingKeys.delete(verifier);
  return key;
}

/** The wrapping key when the password matches the verifier, null when it does not. */
export async function checkPassword(password: string, verifier: Verifier): Promise<Buffer | null> {
  const expected = Buffer.from(verifier.hash, 'base64');
  const { hash, wrappingKey } = await derive(password, Buffer.from(verifier.salt, 'base64'));
  return expected.length === hash.length && timingSafeEqual(expected, hash) ? wrappingKey : null;
}
