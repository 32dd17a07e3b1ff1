import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword, verifyPasswordAsync } from '../../../../server/auth/passwords';

describe('verifyPasswordAsync', () => {
  it('agrees with verifyPassword', async () => {
    const stored = hashPassword('correct horse');
    expect(await verifyPasswordAsync('correct horse', stored)).toBe(true);
    expect(verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPasswordAsync('correct horsf', stored)).toBe(false);
    expect(await verifyPasswordAsync('correct horse', 'not-a-hash')).toBe(false);
  });
});
