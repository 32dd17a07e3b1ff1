import { parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { E164_PATTERN } from './types';

/** What stands for the hidden digits on screen (privacy mode); always the same width, so the length stays hidden too. */
const HIDDEN = '•••• ••';
/** The tail is shown only when at least this many other digits stay hidden. */
const MIN_HIDDEN_DIGITS = 4;
const TAIL_DIGITS = 4;
/** An extension typed after a number: ` ext. 123`, `x123`, `#123`, `;ext=123`. */
const EXTENSION = /\s*(?:;\s*ext\s*=|,|#|(?:ext(?:ension)?\.?|x))\s*\d{1,10}\s*$/i;

function tail(digits: string): string {
  return digits.length >= TAIL_DIGITS + MIN_HIDDEN_DIGITS ? digits.slice(-TAIL_DIGITS) : '••';
}

/**
 * A phone number as privacy mode shows it on screen: the country code and the last 4 digits,
 * everything else behind a mask of fixed width.
 *
 *   `+447700903456` → `+44 •••• ••3456`, `+12125550100` → `+1 •••• ••0100`.
 *
 * - A short number (fewer than 8 digits after the country code, e.g. Niue's `+6831234`) shows
 *   no digit of its own: `+683 •••• ••••`; at least 4 digits always stay hidden.
 * - Text that is not E.164 (a raw or invalid string, a number with an extension, a number the
 *   portal already masked such as `•••• 0100`) shows no country code, and its last 4 digits only
 *   when it has at least 8 (an extension is dropped first): `0207 946 0000 ext. 12` → `•••• ••0000`.
 * - `null` gives `null` (the caller says "No number").
 *
 * The result is made only of `+`, the country code, `•`, spaces and at most 4 ASCII digits of the
 * argument. The portal's own masking for audit entries and non-admins is `maskPhone`.
 */
export function maskPhoneForScreen(value: string | null): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') return `${HIDDEN}••`;
  if (E164_PATTERN.test(value)) {
    try {
      const parsed = parsePhoneNumberWithError(value, { extract: false });
      const national = parsed.nationalNumber.replace(/\D/g, '');
      return `+${parsed.countryCallingCode} ${HIDDEN}${tail(national)}`;
    } catch {
      // Not a number libphonenumber-js knows a country code for: masked as raw text below.
    }
  }
  // A masked number keeps its visible tail (the portal showed it already); anything else: 8 digits or more.
  const main = value.replace(EXTENSION, '');
  const digits = main.replace(/[^0-9]/g, '');
  if (main.includes('•') && digits.length > 0 && digits.length <= TAIL_DIGITS && /\d$/.test(main.trim())) {
    return `${HIDDEN}${digits.padStart(TAIL_DIGITS, '•')}`;
  }
  return `${HIDDEN}${tail(digits)}`;
}
