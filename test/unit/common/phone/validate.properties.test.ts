/**
 * Property tests for validatePhone: 10,000 runs each.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { E164_PATTERN, PHONE_REASONS, validatePhone, type PhoneResult } from '../../../../common/phone';
import { anyStringArb, FORMAT_CHARS, phoneishArb, regionArb, SPACE_CHARS, tooLongArb, validishArb } from './arbitraries';

const NUM_RUNS = 10_000;

function expectWellFormed(r: PhoneResult): void {
  if (r.ok) {
    expect(r.e164).toMatch(E164_PATTERN);
    expect(Object.keys(r).every((k) => ['ok', 'e164', 'warning', 'country', 'type'].includes(k))).toBe(true);
    expect([undefined, 'landline']).toContain(r.warning);
    if (r.country !== undefined) expect(r.country).toMatch(/^[A-Z]{2}$/);
  } else {
    expect(Object.keys(r).sort()).toEqual(['ok', 'reason']);
    expect(PHONE_REASONS).toContain(r.reason);
  }
}

describe('validatePhone properties', () => {
  it('never throws, and gives either ok with E.164 or one of the seven reasons (any string, any region)', () => {
    fc.assert(
      fc.property(anyStringArb, regionArb, (input, region) => {
        expectWellFormed(validatePhone(input, region));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('refuses every non-string: null/undefined are required, the rest not_a_string', () => {
    fc.assert(
      fc.property(fc.anything({ withBoxedValues: true, withMap: true, withSet: true }), regionArb, (input, region) => {
        fc.pre(typeof input !== 'string');
        const expected = input === null || input === undefined ? 'required' : 'not_a_string';
        expect(validatePhone(input, region)).toEqual({ ok: false, reason: expected });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('is idempotent: an accepted number, fed back as E.164 without a region, gives the same result', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 3, arbitrary: validishArb }, fc.record({ input: phoneishArb, region: regionArb })), ({ input, region }) => {
        const first = validatePhone(input, region);
        expectWellFormed(first);
        if (!first.ok) return;
        accepted += 1;
        expect(validatePhone(first.e164, null)).toEqual(first);
        // …and with any region: a number in international form does not depend on it.
        expect(validatePhone(first.e164, region)).toEqual(first);
      }),
      { numRuns: NUM_RUNS },
    );
    // Guard against a vacuous pass: the generator must actually produce valid numbers.
    expect(accepted).toBeGreaterThan(NUM_RUNS / 4);
  });

  it('refuses anything longer than 250 characters as too_long, however valid the number in it', () => {
    fc.assert(
      fc.property(tooLongArb, regionArb, (input, region) => {
        expect(validatePhone(input, region)).toEqual({ ok: false, reason: 'too_long' });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('ignores format characters, the kind of space and fullwidth forms', () => {
    const fullwidth = (s: string) => s.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');
    fc.assert(
      fc.property(
        fc.oneof(validishArb, fc.record({ input: phoneishArb, region: regionArb })),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...FORMAT_CHARS)), { maxLength: 4 }),
        fc.constantFrom(...SPACE_CHARS),
        fc.boolean(),
        ({ input, region }, inserts, space, wide) => {
          const plain = validatePhone(input, region);
          let variant = input.replace(/ /g, space);
          if (wide) variant = fullwidth(variant);
          // Insert format characters between code points (never inside a surrogate pair).
          const chars = [...variant];
          for (const [at, ch] of inserts) chars.splice(at % (chars.length + 1), 0, ch);
          variant = chars.join('');
          fc.pre(variant.length <= 250);
          expect(validatePhone(variant, region)).toEqual(plain);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
