import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { codeMatches, codeMessage, generateCode, hashCode } from '../../../../server/auth/codes';

describe('login codes', () => {
  it('are 6 digits, leading zeros included, and spread over the whole range', () => {
    const codes = Array.from({ length: 5000 }, generateCode);
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(4950);
    // About 10 % of codes start with each digit, 0 included.
    const leadingZero = codes.filter((code) => code.startsWith('0')).length;
    expect(leadingZero).toBeGreaterThan(350);
    expect(leadingZero).toBeLessThan(650);
  });

  it('are stored as a keyed hash bound to the challenge', () => {
    const key = randomBytes(32);
    const hash = hashCode(key, 'challenge-a', '123456');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain('123456');
    expect(codeMatches(key, 'challenge-a', '123456', hash)).toBe(true);
    expect(codeMatches(key, 'challenge-a', '123457', hash)).toBe(false);
    expect(codeMatches(key, 'challenge-b', '123456', hash)).toBe(false);
    expect(codeMatches(randomBytes(32), 'challenge-a', '123456', hash)).toBe(false);
    expect(codeMatches(key, 'challenge-a', '123456', 'not-hex')).toBe(false);
  });

  it('reads as the message the user gets', () => {
    expect(codeMessage('012345')).toBe('Your Portal login code is 012345. It expires in 10 minutes.');
  });
});
