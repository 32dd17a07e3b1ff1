import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPhone, PHONE_MASK } from '../../../../common/phone';

describe('maskPhone', () => {
  it.each([
    ['+12125550100', '•••• 0100'],
    ['+442079460000', '•••• 0000'],
    ['+4915123456789', '•••• 6789'],
    ['+33612345678', '•••• 5678'],
  ])('%s → %s', (e164, masked) => {
    expect(maskPhone(e164)).toBe(masked);
  });

  it('hides everything of a number with fewer than 8 digits', () => {
    expect(maskPhone('+6831234')).toBe(PHONE_MASK); // Niue: 3-digit country code, 4-digit number
    expect(maskPhone('+12')).toBe(PHONE_MASK);
    expect(maskPhone('')).toBe(PHONE_MASK);
  });

  it('keeps null as null', () => {
    expect(maskPhone(null)).toBeNull();
  });

  it('hides the country code and the length', () => {
    expect(maskPhone('+12125550100')).toBe(maskPhone('+442125550100'));
    expect(maskPhone('+12125550100')).toBe(maskPhone('+8613800000100'));
  });

  it('never reveals more than 4 digits, nor any other character of its argument (10,000 runs)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.stringMatching(/^\+[1-9]\d{1,14}$/)), (s) => {
        const masked = maskPhone(s);
        expect(masked).not.toBeNull();
        expect(masked).toMatch(/^••••( \d{4})?$/);
        const shown = (masked ?? '').replace(/\D/g, '');
        const digits = s.replace(/\D/g, '');
        expect(shown.length).toBeLessThanOrEqual(4);
        expect(digits.endsWith(shown)).toBe(true);
        // At least four digits always stay hidden.
        if (shown.length > 0) expect(digits.length - shown.length).toBeGreaterThanOrEqual(4);
      }),
      { numRuns: 10_000 },
    );
  });
});
