/**
 * isLandlineNumber must say exactly what validatePhone's `landline` warning says, for any stored
 * number: it is how the grid marks landlines and counts "Needs attention" at 100,000 rows.
 */
import { getCountries, getCountryCallingCode } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/examples.mobile.json';
import { describe, expect, it } from 'vitest';
import { validatePhone } from '../../../../common/phone';
import { isLandlineNumber } from '../../../../common/phone/landline';

const byValidatePhone = (number: string): boolean => {
  const result = validatePhone(number, null);
  return result.ok && result.warning === 'landline';
};

/** A fixed sequence (the failures are reproducible). */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const CALLING_CODES = [...new Set(getCountries().map((country) => getCountryCallingCode(country)))];
/** Non-geographic calling codes (freephone, satellite, …): these take validatePhone's own way. */
const NON_GEOGRAPHIC = ['800', '808', '870', '878', '881', '882', '883', '888', '979'];

describe('isLandlineNumber', () => {
  it('agrees with validatePhone on random numbers of every calling code (any length, any first digit)', () => {
    const random = prng(0x1a7d);
    const digits = (count: number) => Array.from({ length: count }, () => Math.floor(random() * 10)).join('');
    let landlines = 0;
    let compared = 0;
    const countriesWithLandlines = new Set<string>();
    const disagreements: string[] = [];
    for (const callingCode of [...CALLING_CODES, ...NON_GEOGRAPHIC]) {
      const room = 15 - callingCode.length;
      for (let n = 0; n < 1000; n++) {
        // Mostly the lengths real numbers have, sometimes any length E.164 allows.
        const length = random() < 0.8 ? Math.min(room, 6 + Math.floor(random() * 7)) : 1 + Math.floor(random() * room);
        const number = `+${callingCode}${digits(length)}`;
        const expected = byValidatePhone(number);
        compared++;
        if (expected) {
          landlines++;
          countriesWithLandlines.add(callingCode);
        }
        if (isLandlineNumber(number) !== expected) disagreements.push(`${number} (validatePhone: ${expected})`);
      }
    }
    expect(disagreements).toEqual([]);
    // The comparison covers landlines across the world, not only numbers both call invalid.
    expect(compared).toBeGreaterThan(200_000);
    expect(landlines).toBeGreaterThan(5_000);
    expect(countriesWithLandlines.size).toBeGreaterThan(150);
  });

  it('agrees on every country’s example mobile number, and on the numbers the demo portal gives', () => {
    const numbers = [
      ...Object.entries(examples).map(([country, national]) => validatePhone(national, country)).flatMap((result) => (result.ok ? [result.e164] : [])),
      // Landlines (UK drama ranges, Berlin, Paris), North America (FIXED_LINE_OR_MOBILE), mobiles.
      '+442079460123', '+441134960999', '+493012345678', '+33142685300', '+12125550142', '+14165550100', '+447400123456', '+4915112345678',
    ];
    expect(numbers.length).toBeGreaterThan(200);
    for (const number of numbers) expect(isLandlineNumber(number), number).toBe(byValidatePhone(number));
    expect(['+442079460123', '+441134960999', '+493012345678', '+33142685300'].map(isLandlineNumber)).toEqual([true, true, true, true]);
    expect(['+12125550142', '+447400123456'].map(isLandlineNumber)).toEqual([false, false]);
  });

  it('says no for anything that is not a stored number', () => {
    for (const text of ['', '020 7946 0123', '+', '+0442079460123', '+44 20 7946 0123', 'tel:+442079460123', '+4420794601230000000']) {
      expect(isLandlineNumber(text), text).toBe(false);
    }
  });
});
