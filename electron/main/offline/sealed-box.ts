import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for the offline files (drafts, the employee list): a random 96-bit IV per write, the
 * 128-bit tag checked on every read, and associated data that binds a file to its purpose and
 * account, so a drafts file copied over another account's (or over the employee list) fails to open.
 */
export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The envelope's own format; the document inside has its own version. */
export const SEALED_FORMAT = 'portal-admin-sealed/1';

export interface SealedEnvelope {
  format: typeof SEALED_FORMAT;
  /**
   * How many times this file was written (absent in files from before it was counted). Bound into
   * the associated data, so it cannot be edited; the newest count is kept in the keychain, so an
   * older copy put back in place is recognised (offline-guard.ts).
   */
  generation?: number;
  iv: string;
  tag: string;
  data: string;
}

export class SealedBoxError extends Error {
  constructor(
    readonly reason: 'not_sealed' | 'tampered',
    message: string,
  ) {
    super(message);
    this.name = 'SealedBoxError';
  }
}

export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

const withGeneration = (associatedData: string, generation: number | undefined) => (generation === undefined ? associatedData : `${associatedData}|generation=${generation}`);

export function seal(key: Buffer, plaintext: string, associatedData: string, generation?: number): string {
  return sealWithIv(key, plaintext, associatedData, generation).text;
}

/** `seal`, and the write's random IV (base64), which names this one write (a journal follows it). */
export function sealWithIv(key: Buffer, plaintext: string, associatedData: string, generation?: number): { text: string; iv: string } {
  const cipher = startSealing(key, associatedData, generation);
  return cipher.finish([cipher.update(plaintext, 'utf8')]);
}

/**
 * The same envelope as `sealWithIv`, for a plaintext made of parts: `pause` runs between parts, so a
 * worker thread that seals a large document still answers its other messages meanwhile.
 */
export async function sealInParts(key: Buffer, parts: () => Iterable<string>, associatedData: string, generation: number | undefined, pause: () => Promise<void>): Promise<{ text: string; iv: string }> {
  const cipher = startSealing(key, associatedData, generation);
  const data: Buffer[] = [];
  for (const part of parts()) {
    data.push(cipher.update(part, 'utf8'));
    await pause();
  }
  return cipher.finish(data);
}

function startSealing(key: Buffer, associatedData: string, generation: number | undefined) {
  if (key.length !== KEY_BYTES) throw new Error('a data key is 32 bytes');
  if (generation !== undefined && (!Number.isSafeInteger(generation) || generation < 0)) throw new Error('a generation is a non-negative integer');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(withGeneration(associatedData, generation), 'utf8'));
  return {
    update: (text: string, encoding: 'utf8') => cipher.update(text, encoding),
    finish(data: Buffer[]): { text: string; iv: string } {
      const whole = Buffer.concat([...data, cipher.final()]);
      const envelope: SealedEnvelope = { format: SEALED_FORMAT, ...(generation === undefined ? {} : { generation }), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: whole.toString('base64') };
      return { text: `${JSON.stringify(envelope)}\n`, iv: envelope.iv };
    },
  };
}

export function open(key: Buffer, text: string, associatedData: string): string {
  return openCounted(key, text, associatedData).plaintext;
}

/** `open`, the file's write count (0 for a file from before writes were counted) and its IV (base64). */
export function openCounted(key: Buffer, text: string, associatedData: string): { plaintext: string; generation: number; iv: string } {
  let envelope: Partial<SealedEnvelope>;
  try {
    envelope = JSON.parse(text) as Partial<SealedEnvelope>;
  } catch {
    throw new SealedBoxError('not_sealed', 'the file is not an encrypted Portal Admin file');
  }
  if (envelope === null || typeof envelope !== 'object' || envelope.format !== SEALED_FORMAT || typeof envelope.iv !== 'string' || typeof envelope.tag !== 'string' || typeof envelope.data !== 'string') {
    throw new SealedBoxError('not_sealed', 'the file is not an encrypted Portal Admin file');
  }
  const iv = Buffer.from(envelope.iv, 'base64');
  const tag = Buffer.from(envelope.tag, 'base64');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SealedBoxError('tampered', 'the file was changed or damaged');
  const generation = envelope.generation;
  if (generation !== undefined && (typeof generation !== 'number' || !Number.isSafeInteger(generation) || generation < 0)) throw new SealedBoxError('tampered', 'the file was changed or damaged');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(withGeneration(associatedData, generation), 'utf8'));
    decipher.setAuthTag(tag);
    const plaintext = Buffer.concat([decipher.update(Buffer.from(envelope.data, 'base64')), decipher.final()]).toString('utf8');
    return { plaintext, generation: generation ?? 0, iv: envelope.iv };
  } catch {
    // Wrong key, wrong associated data or changed bytes: GCM cannot tell them apart, and need not.
    throw new SealedBoxError('tampered', 'the file was changed, damaged, or encrypted with another key');
  }
}
