import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * The local check of the portal password for "Work offline": scrypt (RFC 7914) with a random salt,
 * so the file holds nothing that gives the password back or is quicker to guess than scrypt allows.
 * Made only after the portal accepted the password, replaced at every online sign-in.
 */
export const verifierSchema = z.strictObject({
  algorithm: z.literal('scrypt'),
  N: z.number().int().positive(),
  r: z.number().int().positive(),
  p: z.number().int().positive(),
  salt: z.string().max(64),
  hash: z.string().max(128),
});
export type Verifier = z.infer<typeof verifierSchema>;

/** OWASP Password Storage Cheat Sheet: scrypt N = 2^15, r = 8, p = 3 is one of its equivalent minimums (32 MiB per check). */
export const SCRYPT_PARAMETERS = { N: 2 ** 15, r: 8, p: 3 } as const;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, parameters: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...parameters, maxmem: 256 * parameters.N * parameters.r }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function makeVerifier(password: string, parameters: { N: number; r: number; p: number } = SCRYPT_PARAMETERS): Promise<Verifier> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, parameters);
  return { algorithm: 'scrypt', ...parameters, salt: salt.toString('base64'), hash: hash.toString('base64') };
}

export async function checkVerifier(password: string, verifier: Verifier): Promise<boolean> {
  const expected = Buffer.from(verifier.hash, 'base64');
  const actual = await derive(password, Buffer.from(verifier.salt, 'base64'), verifier);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
