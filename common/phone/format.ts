import { AsYouType, parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { toRegion } from './countries';
import { normalizePhoneInput } from './normalize';
import { E164_PATTERN, PHONE_MAX_RAW_LENGTH } from './types';
import { validatePhone } from './validate';

/**
 * An E.164 number for display, in international form: `+442079460000` → `+44 20 7946 0000`.
 * Anything that is not E.164 is returned unchanged.
 */
export function formatInternational(e164: string): string {
  if (typeof e164 !== 'string') return '';
  if (!E164_PATTERN.test(e164)) return e164;
  try {
    return parsePhoneNumberWithError(e164, { extract: false }).formatInternational();
  } catch {
    return e164;
  }
}

/** Digits libphonenumber-js reads (after NFKC): ASCII, Arabic-Indic, Eastern Arabic-Indic. */
const DIGIT = /[0-9\u0660-\u0669\u06F0-\u06F9]/gu;
/** Only digits (and a leading +): nothing the administrator arranged that formatting could undo. */
const PLAIN = /^\+?[0-9\u0660-\u0669\u06F0-\u06F9]+$/u;

const countDigits = (s: string): number => s.match(DIGIT)?.length ?? 0;

/** Arabic-Indic and Eastern Arabic-Indic digits as ASCII ones (what the number is stored with). */
const asciiDigits = (s: string): string =>
  s.replace(/[\u0660-\u0669]/gu, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/[\u06F0-\u06F9]/gu, (d) => String(d.charCodeAt(0) - 0x06f0));

/**
 * Formats a phone field while the administrator types, but only what parses: a complete, valid
 * number typed as plain digits is laid out (`2125550100` with region US → `(212) 555-0100`;
 * `+442079460000` → `+44 20 7946 0000`).
 *
 * Everything else keeps the administrator's own text, so the validator (not the formatter) says
 * what is wrong and nothing typed is rearranged: a number not complete or not valid yet
 * (`123 456 7890` is never read as `1 (234) 567-890`), the administrator's own spacing
 * (`0044 7400 123456`, `06 12 34 56 78`), two numbers pasted together, letters, extensions, `tel:`
 * links, over-long input. A valid number with its own spacing only loses invisible characters
 * (bidi marks, zero-width spaces) and gets ASCII digits for fullwidth and Arabic-Indic ones.
 */
export function formatAsYouType(input: string, region: string | null): string {
  if (typeof input !== 'string') return '';
  if (input.length > PHONE_MAX_RAW_LENGTH) return input;
  const text = normalizePhoneInput(input);
  if (!validatePhone(text, region).ok) return input;
  // The administrator's own spacing stays; every digit shows as the ASCII digit it is stored as.
  if (!PLAIN.test(text)) return asciiDigits(text);
  let formatted: string;
  try {
    formatted = new AsYouType(toRegion(region)).input(text);
  } catch {
    return input;
  }
  return countDigits(formatted) === countDigits(text) ? formatted : input;
}
