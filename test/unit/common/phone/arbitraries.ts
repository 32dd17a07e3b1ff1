/**
 * fast-check arbitraries for the phone property tests.
 */
import fc from 'fast-check';
import examples from 'libphonenumber-js/examples.mobile.json';
import { parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { phoneCountries, PHONE_MAX_RAW_LENGTH, type CountryCode } from '../../../../common/phone';

const COUNTRIES = phoneCountries();
const CODES = COUNTRIES.map((c) => c.code);

/** Format characters (Unicode Cf) that normalisation must remove. */
export const FORMAT_CHARS = ['\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u180e', '\u{e0041}'];
/** Spaces of every kind that normalisation must fold to ' '. */
export const SPACE_CHARS = [' ', '\u00a0', '\u2000', '\u2002', '\u2007', '\u2009', '\u200a', '\u202f', '\u205f', '\u3000', '\u1680', '\t'];

/** Region argument: none, real codes, lenient spellings and garbage. */
export const regionArb: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  { weight: 4, arbitrary: fc.constantFrom(...CODES) },
  { weight: 1, arbitrary: fc.constantFrom('us', 'gb', ' GB ', 'ZZ', 'XX', '001', '', 'constructor', '__proto__', 'toString', 'USA') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
);

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const trickyChar = fc.oneof(fc.constantFrom(...FORMAT_CHARS, ...SPACE_CHARS, '\r', '\n', '\u0000', '\u0085', '\u2028'), loneSurrogate);

/** Phone-looking text: digits, +, separators, extension markers, letters. */
export const phoneishArb: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.stringMatching(/^[0-9]{1,4}$/) },
      { weight: 2, arbitrary: fc.constantFrom(' ', '-', '.', '(', ')', '/') },
      { weight: 1, arbitrary: fc.constantFrom('+', '00', '0') },
      { weight: 1, arbitrary: fc.constantFrom('x', 'X', 'ext', 'ext.', ' ext. ', '#', ',,', ';ext=', 'extension', 'tel:', ';isub=', 'a', 'FLOWERS', '~') },
      { weight: 1, arbitrary: trickyChar },
      { weight: 1, arbitrary: fc.constantFrom('٤', '٠', '۱', '４', '＋', '１', '²', '①') },
    ),
    { maxLength: 14 },
  )
  .map((parts) => parts.join(''));

const digitsArb = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));

const separate = (digits: string, seps: readonly string[]): string =>
  digits.replace(/\d{2,4}/g, (chunk, offset: number) => (offset === 0 ? chunk : (seps[offset % seps.length] ?? ' ') + chunk));

/**
 * Text likely to be a valid number: a country's example mobile number with its last digits
 * replaced, or a landline-ish prefix, written in international or national form with
 * separators and the odd format character or exotic space. Paired with a fitting region.
 */
export const validishArb: fc.Arbitrary<{ input: string; region: string | null }> = fc
  .record({
    country: fc.constantFrom(...COUNTRIES),
    landline: fc.oneof(
      { weight: 3, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constantFrom('+44 20 7946 ', '+39 06 6988 ', '+33 1 4', '+49 30 12', '+1 212 555 ', '+61 2 9', '+91 11 2') },
    ),
    tailLength: fc.integer({ min: 0, max: 4 }),
    tail: digitsArb(4),
    form: fc.constantFrom('international', 'e164', 'national', 'idd'),
    seps: fc.array(fc.constantFrom(' ', '-', '.', ' ', '\u00a0', '\u2009'), { minLength: 1, maxLength: 3 }),
    noise: fc.constantFrom('', '', '', '\u200e', '\u202a', ' ', '\ufeff', '\u200b'),
    regionChoice: fc.oneof(fc.constant<'own'>('own'), fc.constant(null), regionArb),
  })
  .map(({ country, landline, tailLength, tail, form, seps, noise, regionChoice }) => {
    let e164: string;
    if (landline !== null) {
      e164 = (landline + tail).replace(/[^+0-9]/g, '');
    } else {
      const national = (examples as Record<string, string | undefined>)[country.code] ?? '';
      e164 = `+${country.callingCode}${national.slice(0, national.length - tailLength)}${tail.slice(0, tailLength)}`;
    }
    let input = e164;
    let region: string | null = regionChoice === 'own' ? country.code : regionChoice;
    try {
      const parsed = parsePhoneNumberWithError(e164, { extract: false });
      const own: CountryCode | undefined = parsed.country;
      if (form === 'international') input = parsed.formatInternational();
      else if (form === 'national' && own) {
        input = parsed.formatNational();
        region = own;
      } else if (form === 'idd' && own === 'GB') input = `00${e164.slice(1)}`;
    } catch {
      // keep the raw E.164 text
    }
    if (form !== 'international' && form !== 'national') input = separate(input, seps);
    return { input: `${noise}${input}${noise}`, region };
  });

/** Any string at all, from several generators. */
export const anyStringArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
  fc.string({ unit: fc.oneof(trickyChar, fc.constantFrom('+', '1', '4', '0', ' ')), maxLength: 30 }),
  phoneishArb,
  validishArb.map((v) => v.input),
  fc.string({ unit: 'binary', minLength: PHONE_MAX_RAW_LENGTH - 5, maxLength: PHONE_MAX_RAW_LENGTH + 40 }),
);

/** Strings longer than PHONE_MAX_RAW_LENGTH code units, many of them a valid number plus padding. */
export const tooLongArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary-ascii', minLength: PHONE_MAX_RAW_LENGTH + 1, maxLength: PHONE_MAX_RAW_LENGTH + 100 }),
  fc.string({ unit: 'grapheme', minLength: PHONE_MAX_RAW_LENGTH + 1, maxLength: PHONE_MAX_RAW_LENGTH + 50 }),
  fc
    .tuple(validishArb, fc.constantFrom(...SPACE_CHARS, ...FORMAT_CHARS), fc.integer({ min: 0, max: 1 }))
    .map(([v, pad, side]) => {
      const padding = pad.repeat(Math.max(1, PHONE_MAX_RAW_LENGTH + 11 - v.input.length));
      return side === 0 ? padding + v.input : v.input + padding;
    }),
).filter((s) => s.length > PHONE_MAX_RAW_LENGTH);
