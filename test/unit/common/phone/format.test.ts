import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAsYouType, formatInternational, validatePhone } from '../../../../common/phone';
import { anyStringArb, regionArb } from './arbitraries';

describe('formatInternational', () => {
  it.each([
    ['+442079460000', '+44 20 7946 0000'],
    ['+12125550100', '+1 212 555 0100'],
    ['+447400123456', '+44 7400 123456'],
    ['+33612345678', '+33 6 12 34 56 78'],
    ['+4915123456789', '+49 1512 3456789'],
    ['+919876543210', '+91 98765 43210'],
  ])('%s → %s', (e164, expected) => {
    expect(formatInternational(e164)).toBe(expected);
  });

  it.each(['', '12125550100', '+0123', 'not a number', '+1 212 555 0100', '+1234567890123456'])('returns non-E.164 %j unchanged', (s) => {
    expect(formatInternational(s)).toBe(s);
  });

  it('round-trips: the formatted form validates to the same E.164', () => {
    for (const e164 of ['+442079460000', '+12125550100', '+390669880000', '+61412345678']) {
      expect(validatePhone(formatInternational(e164), null)).toMatchObject({ ok: true, e164 });
    }
  });
});

describe('formatAsYouType', () => {
  it.each([
    ['2125550100', 'US', '(212) 555-0100'],
    ['212555', 'US', '(212) 555'],
    ['+442079460000', null, '+44 20 7946 0000'],
    ['+4420', null, '+44 20'],
    ['07400123456', 'GB', '07400 123456'],
    ['0612345678', 'FR', '06 12 34 56 78'],
    ['＋４４２０７９４６００００', null, '+44 20 7946 0000'],
    ['+٤٤ ٢٠', null, '+44 20'],
    ['\u200e+1 212 555 0100\u200e', null, '+1 212 555 0100'],
    ['2125550100', null, '2125550100'],
    ['2125550100', 'ZZ', '2125550100'],
    ['', 'US', ''],
    ['+', null, '+'],
  ])('%j (region %s) → %j', (input, region, expected) => {
    expect(formatAsYouType(input, region)).toBe(expected);
  });

  it.each([
    ['+1 212 555 0100 x12', null],
    ['+1 212 555 0100 ext. 12', null],
    ['+12125550100#12', null],
    ['1-800-FLOWERS', 'US'],
    ['++44 20', null],
    ['44+20', null],
    [`+1${' '.repeat(300)}`, null],
  ])('leaves %j as typed, for the validator to explain', (input, region) => {
    expect(formatAsYouType(input, region)).toBe(input);
  });

  it('never throws and never drops or invents a digit (10,000 runs)', () => {
    const asciiDigits = (s: string) => s.replace(/[^0-9]/g, '');
    fc.assert(
      fc.property(anyStringArb, regionArb, (input, region) => {
        const out = formatAsYouType(input, region);
        expect(typeof out).toBe('string');
        if (out !== input) {
          // Reformatted: the digits (after NFKC / Arabic-Indic folding) are the same, in order.
          const folded = validatePhoneDigits(input);
          expect(asciiDigits(out)).toBe(folded);
        }
      }),
      { numRuns: 10_000 },
    );
  });
});

/** The ASCII digits of the input after NFKC and Arabic-Indic / Eastern Arabic-Indic folding. */
function validatePhoneDigits(input: string): string {
  return input
    .normalize('NFKC')
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[^0-9]/g, '');
}
