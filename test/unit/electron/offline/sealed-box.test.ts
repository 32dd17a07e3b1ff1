import { describe, expect, it } from 'vitest';
import { KEY_BYTES, newDataKey, open, SEALED_FORMAT, SealedBoxError, seal, type SealedEnvelope } from '../../../../electron/main/offline/sealed-box';

const PLAINTEXT = JSON.stringify({ schemaVersion: 1, note: 'Grüße, +12125550199' });
const ASSOCIATED = 'drafts|admin@acme.test';

function reasonOf(action: () => unknown): string | null {
  try {
    action();
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(SealedBoxError);
    return (error as SealedBoxError).reason;
  }
}

/** The envelope with one field's decoded bytes changed by `change`. */
function withChangedBytes(sealed: string, field: 'iv' | 'tag' | 'data', change: (bytes: Buffer) => void): string {
  const envelope = JSON.parse(sealed) as SealedEnvelope;
  const bytes = Buffer.from(envelope[field], 'base64');
  change(bytes);
  return JSON.stringify({ ...envelope, [field]: bytes.toString('base64') });
}

describe('sealed box (AES-256-GCM)', () => {
  it('round trip: what is sealed opens with the same key and associated data', () => {
    const key = newDataKey();
    expect(key).toHaveLength(KEY_BYTES);
    const sealed = seal(key, PLAINTEXT, ASSOCIATED);
    expect(sealed.endsWith('\n')).toBe(true);
    expect(JSON.parse(sealed)).toMatchObject({ format: SEALED_FORMAT });
    expect(open(key, sealed, ASSOCIATED)).toBe(PLAINTEXT);
    expect(open(key, seal(key, '', ASSOCIATED), ASSOCIATED)).toBe('');
  });

  it('uses a fresh IV on every seal, and the plaintext does not show', () => {
    const key = newDataKey();
    const first = seal(key, PLAINTEXT, ASSOCIATED);
    const second = seal(key, PLAINTEXT, ASSOCIATED);
    expect((JSON.parse(first) as SealedEnvelope).iv).not.toBe((JSON.parse(second) as SealedEnvelope).iv);
    expect(first).not.toBe(second);
    expect(first).not.toContain('12125550199');
    expect(first).not.toContain('schemaVersion');
  });

  it('a wrong key, changed bytes or other associated data are "tampered"', () => {
    const key = newDataKey();
    const sealed = seal(key, PLAINTEXT, ASSOCIATED);
    expect(reasonOf(() => open(newDataKey(), sealed, ASSOCIATED))).toBe('tampered');
    expect(reasonOf(() => open(key, sealed, 'drafts|someone-else@acme.test'))).toBe('tampered');
    expect(reasonOf(() => open(key, sealed, 'employees|admin@acme.test'))).toBe('tampered');
    for (const field of ['iv', 'tag', 'data'] as const) {
      for (const position of [0, 5, -1]) {
        const changed = withChangedBytes(sealed, field, (bytes) => {
          const at = position < 0 ? bytes.length + position : position;
          bytes[at] = bytes[at]! ^ 0x01;
        });
        expect(reasonOf(() => open(key, changed, ASSOCIATED)), `${field}[${position}]`).toBe('tampered');
      }
    }
    // A cut ciphertext, tag or IV.
    const envelope = JSON.parse(sealed) as SealedEnvelope;
    const shortData = Buffer.from(envelope.data, 'base64').subarray(0, 4).toString('base64');
    expect(reasonOf(() => open(key, JSON.stringify({ ...envelope, data: shortData }), ASSOCIATED))).toBe('tampered');
    const shortTag = Buffer.from(envelope.tag, 'base64').subarray(0, 12).toString('base64');
    expect(reasonOf(() => open(key, JSON.stringify({ ...envelope, tag: shortTag }), ASSOCIATED))).toBe('tampered');
    const shortIv = Buffer.from(envelope.iv, 'base64').subarray(0, 8).toString('base64');
    expect(reasonOf(() => open(key, JSON.stringify({ ...envelope, iv: shortIv }), ASSOCIATED))).toBe('tampered');
  });

  it('what is not one of our envelopes is "not_sealed"', () => {
    const key = newDataKey();
    const sealed = JSON.parse(seal(key, PLAINTEXT, ASSOCIATED)) as SealedEnvelope;
    for (const text of ['', 'not json', PLAINTEXT, 'null', '[]', '42', JSON.stringify({ ...sealed, format: 'portal-admin-sealed/2' }), JSON.stringify({ ...sealed, data: 7 })]) {
      expect(reasonOf(() => open(key, text, ASSOCIATED)), text).toBe('not_sealed');
    }
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => seal(Buffer.alloc(16), PLAINTEXT, ASSOCIATED)).toThrow(/32 bytes/);
  });
});
