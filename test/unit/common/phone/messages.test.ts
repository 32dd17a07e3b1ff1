import { describe, expect, it } from 'vitest';
import { PHONE_REASONS, PHONE_WARNINGS, phoneMessage, phoneWarningMessage, type PhoneReason } from '../../../../common/phone';

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
    expect(phoneMessage('extension_not_allowed')).toBe('This number has an extension; a login code cannot wait for one.');
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
