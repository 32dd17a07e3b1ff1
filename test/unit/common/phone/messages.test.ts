import { describe, expect, it } from 'vitest';
import { explainPhoneRefusal, PHONE_REASONS, PHONE_WARNINGS, phoneMessage, phoneWarningMessage, validatePhone, type PhoneReason } from '../../../../common/phone';

describe('phoneMessage', () => {
  it.each(PHONE_REASONS)('%s has a non-empty sentence', (reason) => {
    const message = phoneMessage(reason);
    expect(message.trim().length).toBeGreaterThan(10);
    expect(message).toMatch(/[.!]$/);
    // Plain words: no codes or jargon shown to the administrator.
    expect(message).not.toContain(reason);
    expect(message).not.toMatch(/E\.164|libphonenumber|undefined|null/i);
  });

  it('gives every reason its own message', () => {
    const messages = PHONE_REASONS.map((r) => phoneMessage(r));
    expect(new Set(messages).size).toBe(PHONE_REASONS.length);
  });

  it('says what the policy asks for', () => {
    expect(phoneMessage('extension_not_allowed')).toBe('Remove the extension: a login code cannot reach an extension.');
    expect(phoneMessage('needs_country')).toMatch(/country/i);
    expect(phoneMessage('needs_country')).toContain('+');
    for (const kind of ['Premium-rate', 'toll-free', 'shared-cost', 'pager']) expect(phoneMessage('unreachable_type')).toContain(kind);
    expect(phoneMessage('unreachable_type')).toMatch(/cannot receive login codes/);
    expect(phoneMessage('too_long')).toContain('250');
  });

  it('falls back to the invalid message for an unknown code instead of undefined', () => {
    for (const bogus of ['nope', '__proto__', 'toString', 'constructor']) {
      expect(phoneMessage(bogus as PhoneReason)).toBe(phoneMessage('invalid'));
    }
  });
});

describe('phoneWarningMessage', () => {
  it('explains the landline warning', () => {
    expect(phoneWarningMessage('landline')).toBe(
      'This looks like a landline: the employee will get login codes by voice call, not by text message.',
    );
  });

  it.each(PHONE_WARNINGS)('%s differs from every refusal message', (w) => {
    expect(PHONE_REASONS.map((r) => phoneMessage(r))).not.toContain(phoneWarningMessage(w));
  });
});

describe('explainPhoneRefusal', () => {
  it.each([
    ['+1 800 555 0100', null, /toll-free/],
    ['tel:+1-800-555-0100', null, /toll-free/],
    ['+1 900 555 0100', null, /premium-rate/],
    ['+44 7012 345678', null, /call-forwarding/],
    ['07012 345678', 'GB', /call-forwarding/],
  ])('names the kind of service number %j', (input, region, kind) => {
    const result = validatePhone(input, region);
    expect(result).toMatchObject({ ok: false, reason: 'unreachable_type' });
    const message = explainPhoneRefusal(input, region, 'unreachable_type');
    expect(message).toMatch(kind);
    expect(message).toMatch(/cannot receive login codes/);
  });

  it('is phoneMessage for every other reason', () => {
    for (const reason of PHONE_REASONS.filter((r) => r !== 'unreachable_type')) {
      expect(explainPhoneRefusal('+1 212 555 0100 x12', null, reason)).toBe(phoneMessage(reason));
    }
    expect(explainPhoneRefusal(42, null, 'unreachable_type')).toBe(phoneMessage('unreachable_type'));
  });
});
