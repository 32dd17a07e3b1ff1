import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPhoneForScreen } from '../../../../common/phone';

/** Everything the mask may ever produce: an optional country code, the fixed mask, a 4-digit tail or more mask. */
const MASKED = /^(\+[1-9]\d{0,2} )?•••• ••(\d{4}|••)$/;

describe('maskPhoneForScreen (privacy mode)', () => {
  it.each([
    ['+447700903456', '+44 •••• ••3456'],
    ['+12125550100', '+1 •••• ••0100'],
    ['+4915123456789', '+49 •••• ••6789'],
    ['+33612345678', '+33 •••• ••5678'],
    ['+8613800000100', '+86 •••• ••0100'],
  ])('%s → %s', (e164, masked) => {
    expect(maskPhoneForScreen(e164)).toBe(masked);
  });

  it('hides the length: a 9-digit and a 12-digit national number look alike', () => {
    expect(maskPhoneForScreen('+33612345678')).toBe('+33 •••• ••5678');
    expect(maskPhoneForScreen('+4915123455678')).toBe('+49 •••• ••5678');
  });

  it('shows no digit of a short number (fewer than 8 after the country code)', () => {
    expect(maskPhoneForScreen('+6831234')).toBe('+683 •••• ••••'); // Niue
    expect(maskPhoneForScreen('+3545551234')).toBe('+354 •••• ••••'); // Iceland, 7 digits
  });

  it('keeps null as null', () => {
    expect(maskPhoneForScreen(null)).toBeNull();
  });

  it('drops an extension and shows no country code for raw text', () => {
    expect(maskPhoneForScreen('0207 946 0000 ext. 12')).toBe('•••• ••0000');
    expect(maskPhoneForScreen('+1 212 555 0100 x123')).toBe('•••• ••0100');
    expect(maskPhoneForScreen('+1 212 555 0100;ext=9')).toBe('•••• ••0100');
    expect(maskPhoneForScreen('(212) 555-0100 #77')).toBe('•••• ••0100');
  });

  it('shows nothing of invalid or short raw strings', () => {
    expect(maskPhoneForScreen('')).toBe('•••• ••••');
    expect(maskPhoneForScreen('not a number')).toBe('•••• ••••');
    expect(maskPhoneForScreen('555-0100')).toBe('•••• ••••');
    expect(maskPhoneForScreen('+999123456789')).toBe('•••• ••6789'); // no such country code: raw text
  });

  it('keeps the tail the portal already showed in a masked number', () => {
    expect(maskPhoneForScreen('•••• 0100')).toBe('•••• ••0100');
    expect(maskPhoneForScreen('••••')).toBe('•••• ••••');
  });

  it('never shows more than 4 digits of its argument, nor any other character of it (5,000 runs)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.stringMatching(/^\+[1-9]\d{1,14}$/), fc.stringMatching(/^[0-9 ()+-]{0,20}( ?(ext|x|#) ?\d{1,5})?$/)),
        (input) => {
          const masked = maskPhoneForScreen(input);
          expect(masked).toMatch(MASKED);
          const tail = (masked ?? '').replace(/^\+\d+ /, '').replace(/\D/g, '');
          expect(tail.length === 0 || tail.length === 4).toBe(true);
          if (tail.length > 0) expect(input.replace(/\D/g, '')).toContain(tail);
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('for a valid E.164 number keeps exactly its country code and (when long enough) its last 4 digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+[1-9]\d{7,14}$/), (e164) => {
        const masked = maskPhoneForScreen(e164)!;
        const code = /^\+(\d+) /.exec(masked)?.[1];
        if (code !== undefined) expect(e164.startsWith(`+${code}`)).toBe(true);
        const tail = masked.replace(/^\+\d+ /, '').replace(/\D/g, '');
        if (tail.length > 0) expect(e164.endsWith(tail)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });
});
