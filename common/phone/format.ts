import { AsYouType, parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { toRegion } from './countries';
import { normalizePhoneInput } from './normalize';
import { E164_PATTERN, PHONE_MAX_RAW_LENGTH } from './types';

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
/** Text the as-you-type formatter can reformat without losing anything the validator needs to see. */
const FORMATTABLE = /^\+?[0-9\u0660-\u0669\u06F0-\u06F9 ().\-/]*$/u;

const countDigits = (s: string): number => s.match(DIGIT)?.length ?? 0;

/**
 * Formats a phone field while the administrator types: `2125550100` with region US →
 * `(212) 555-0100`; `+442079460000` → `+44 20 7946 0000`.
 *
 * The input is normalised as validatePhone does (NFKC, no format characters, spaces folded,
 * trimmed), then formatted with libphonenumber-js's AsYouType. Input it cannot reformat
 * faithfully is returned exactly as typed, so that the validator (not the formatter) tells the
 * administrator what is wrong: letters and extensions (`x12`, `ext.`, `#`, `,,`), a second or
 * misplaced `+`, over-long input, or any result that would drop or add a digit.
 */
export function formatAsYouType(input: string, region: string | null): string {
  if (typeof input !== 'string') return '';
  if (input.length > PHONE_MAX_RAW_LENGTH) return input;
  const text = normalizePhoneInput(input);
  if (!FORMATTABLE.test(text)) return input;
  let formatted: string;
  try {
    formatted = new AsYouType(toRegion(region)).input(text);
  } catch {
    return input;
  }
  return countDigits(formatted) === countDigits(text) ? formatted : input;
}
