import { describe, expect, it } from 'vitest';
import { challengeIdPattern, methodsFor, newChallengeId } from '../../../../server/auth/challenges';

describe('methodsFor', () => {
  it('offers SMS and voice to a phone, the preferred method first, TOTP when enrolled', () => {
    expect(methodsFor({ cell_phone: '+12125550142', totp_secret: null, two_factor_method: 'sms' })).toEqual(['sms', 'voice']);
    expect(methodsFor({ cell_phone: '+12125550142', totp_secret: null, two_factor_method: 'voice' })).toEqual(['voice', 'sms']);
    expect(methodsFor({ cell_phone: '+12125550142', totp_secret: 'v1.x', two_factor_method: 'totp' })).toEqual(['totp', 'sms', 'voice']);
    expect(methodsFor({ cell_phone: '+12125550142', totp_secret: 'v1.x', two_factor_method: 'sms' })).toEqual(['sms', 'voice', 'totp']);
    expect(methodsFor({ cell_phone: null, totp_secret: 'v1.x', two_factor_method: 'totp' })).toEqual(['totp']);
    expect(methodsFor({ cell_phone: null, totp_secret: null, two_factor_method: 'totp' })).toEqual([]);
  });
});

describe('challenge ids', () => {
  it('are 256 random bits in base64url', () => {
    const ids = new Set(Array.from({ length: 100 }, newChallengeId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(challengeIdPattern);
  });
});
