import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAsYouType, formatInternational, validatePhone } from '../../../../common/phone';
import { anyStringArb, regionArb } from './arbitraries';

// The shared test data lives beside the repository (<repoRoot>/../shared/testdata), as cases.test.ts reads it.
const CASES_PATH = fileURLToPath(new URL('../../../../../shared/testdata/phone-cases.json', import.meta.url));

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
    ['+442079460000', null, '+44 20 7946 0000'],
    ['07400123456', 'GB', '07400 123456'],
    ['0612345678', 'FR', '06 12 34 56 78'],
    ['＋４４２０７９４６００００', null, '+44 20 7946 0000'],
    ['\u200e+1 212 555 0100\u200e', null, '+1 212 555 0100'],
    ['', 'US', ''],
    ['+', null, '+'],
  ])('%j (region %s) → %j', (input, region, expected) => {
    expect(formatAsYouType(input, region)).toBe(expected);
  });

  it.each([
    // Not a valid number (yet): nothing is laid out, nothing is read into it.
    ['212555', 'US'],
    ['+4420', null],
    ['+٤٤ ٢٠', null],
    ['2125550100', null],
    ['2125550100', 'ZZ'],
    ['123 456 7890', 'US'],
    ['1234567890', 'US'],
    ['(212) 555-01001', 'US'],
    // The administrator's own spacing of a number is kept.
    ['0044 7400 123456', 'GB'],
    ['0044 7400 123456', 'US'],
    ['06 12 34 56 78', 'FR'],
    ['06 12 34 56 78', 'US'],
    ['+44 7400 123456', null],
    ['212-555-0100', 'US'],
    // Two numbers pasted together are never merged into one run of digits.
    ['+1 212 555 0100 +1 212 555 0101', null],
    ['+1 212 555 0100, +1 212 555 0101', null],
    ['2125550100 2125550101', 'US'],
    ['2125550100/2125550101', 'US'],
    // tel: links stay as pasted; the validator reads them.
    ['tel:+1-212-555-0100', null],
  ])('leaves %j (region %s) as typed', (input, region) => {
    expect(formatAsYouType(input, region)).toBe(input);
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

  it('every sample and hostile string of the shared test data is either kept as typed or still reads as the same number', () => {
    const cases = JSON.parse(readFileSync(CASES_PATH, 'utf8')) as { input: unknown; region: string | null; expect: { ok: boolean; e164?: string } }[];
    expect(cases.length).toBeGreaterThan(20);
    for (const c of cases) {
      if (typeof c.input !== 'string') continue;
      const out = formatAsYouType(c.input, c.region);
      if (out === c.input) continue;
      expect(c.expect.ok, JSON.stringify(c.input)).toBe(true);
      expect(validatePhone(out, c.region), JSON.stringify(c.input)).toMatchObject({ ok: true, e164: c.expect.e164 });
    }
  });

  it('keeps the spacing of a valid number typed with Arabic-Indic digits, with every digit kept (found by the property below)', () => {
    expect(formatAsYouType('\u0664000\u200e 0000', 'HR')).toBe('4000 0000');
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
