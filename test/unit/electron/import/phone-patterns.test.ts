import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { getExampleNumber } from 'libphonenumber-js/max';
import mobileExamples from 'libphonenumber-js/mobile/examples';
import { describe, expect, it } from 'vitest';
import { phoneCountries, validatePhone } from '../../../../common/phone';
import { cachedExpression, validatePhoneWithPatternCache } from '../../../../electron/main/import/phone-patterns';
import { phoneishArb, regionArb, validishArb } from '../../common/phone/arbitraries';

/**
 * The check reads numbers through validatePhoneWithPatternCache (libphonenumber-js's regular
 * expressions made once): its answers must be validatePhone's, to the last field, whatever was read
 * before (the cache is warm from the earlier inputs of each list).
 */
const casesPath = fileURLToPath(new URL('../../../../../shared/testdata/phone-cases.json', import.meta.url));

function expectSame(input: unknown, region: string | null): void {
  expect(validatePhoneWithPatternCache(input, region), `${JSON.stringify(input)} in ${String(region)}`).toStrictEqual(validatePhone(input, region));
}

/** Each country's mobile example and numbers made from it: other digits, national and international, cut short and too long. */
function generatedNumbers(): { input: string; region: string | null }[] {
  const numbers: { input: string; region: string | null }[] = [];
  let seed = 7;
  const digit = () => String((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 10);
  for (const { code } of phoneCountries()) {
    const example = getExampleNumber(code, mobileExamples);
    if (!example) continue;
    const national = example.nationalNumber;
    numbers.push({ input: example.number, region: null }, { input: example.formatNational(), region: code }, { input: example.formatInternational(), region: 'US' });
    for (let variant = 0; variant < 40; variant++) {
      const kept = variant % national.length;
      const digits = national.slice(0, kept) + Array.from({ length: national.length - kept + (variant % 5) - 2 }, digit).join('');
      numbers.push({ input: digits, region: code }, { input: `+${example.countryCallingCode}${digits}`, region: null }, { input: `0${digits}`, region: code });
    }
  }
  return numbers;
}

describe('validatePhoneWithPatternCache', () => {
  it('answers what validatePhone answers for every case of the shared test data', () => {
    const cases = JSON.parse(readFileSync(casesPath, 'utf8')) as { input: unknown; region: string | null }[];
    expect(cases.length).toBeGreaterThan(20);
    for (const { input, region } of cases) expectSame(input, region);
  });

  it('answers what validatePhone answers for numbers made from every country’s example (about 30,000)', () => {
    const numbers = generatedNumbers();
    expect(numbers.length).toBeGreaterThan(25_000);
    let valid = 0;
    for (const { input, region } of numbers) {
      expectSame(input, region);
      if (validatePhone(input, region).ok) valid += 1;
    }
    // Both kinds are in the sample: numbers the rules accept and numbers they refuse.
    expect(valid).toBeGreaterThan(2_000);
    expect(numbers.length - valid).toBeGreaterThan(2_000);
  });

  it('answers what validatePhone answers for generated phone-like text in any region', () => {
    fc.assert(fc.property(fc.oneof(validishArb, fc.record({ input: phoneishArb, region: regionArb })), ({ input, region }) => expectSame(input, region)), { numRuns: 5_000 });
  });

  it('puts RegExp back afterwards: outside it, every new RegExp is a new expression', () => {
    const native = RegExp;
    validatePhoneWithPatternCache('+44 20 7946 0000', null);
    expect(globalThis.RegExp).toBe(native);
    expect(new RegExp('a+')).not.toBe(new RegExp('a+'));
  });

  it('tells apart texts of the same length, each written afresh, and still answers past the texts it keeps of one length', () => {
    // 100 texts of one length (more than are kept of a length), differing late, each built anew at every use as the library does.
    const digits = (index: number) => '1'.repeat(200 - index) + '2'.repeat(index);
    const texts = () => Array.from({ length: 100 }, (_, index) => ['^(?:', digits(index), ')$'].join(''));
    const first = texts().map((text) => cachedExpression(text));
    const second = texts().map((text) => cachedExpression(text));
    texts().forEach((text, index) => {
      expect(first[index]!.source).toBe(text);
      expect(second[index]!.source).toBe(text);
      expect(second[index]!.flags).toBe('');
    });
    // The first of the length are kept (the same expression again); the rest are made each time, still right.
    expect(second[0]).toBe(first[0]);
    expect(second[40]).toBe(first[40]);
    expect(second[99]).not.toBe(first[99]);
    expect(cachedExpression(texts()[7]!).test(digits(7))).toBe(true);
    expect(cachedExpression(texts()[7]!).test(digits(8))).toBe(false);
    expect(cachedExpression(texts()[80]!).test(digits(80))).toBe(true);
    expect(new Set(first.map((expression) => expression.source)).size).toBe(100);
  });
});
