/** What replaces hidden digits. */
export const PHONE_MASK = '••••';

/** Below this many digits, showing the last 4 would show (nearly) the whole number. */
const MIN_DIGITS_TO_SHOW_TAIL = 8;

/**
 * Masks a phone number for audit logs and for people who are not administrators: only the last
 * four digits are kept, behind a fixed mask that hides the country code and the length too.
 *
 *   `+12125550100` → `•••• 0100`, `+442079460000` → `•••• 0000`.
 *
 * Numbers with fewer than 8 digits (e.g. Niue's `+6831234`) are masked entirely (`••••`), so
 * at least four digits always stay hidden. The result is built only from `•`, a space and at
 * most four ASCII digits: never from other characters of the argument. `null` gives `null`.
 */
export function maskPhone(e164: string | null): string | null {
  if (e164 === null || e164 === undefined) return null;
  if (typeof e164 !== 'string') return PHONE_MASK;
  const digits = e164.replace(/[^0-9]/g, '');
  if (digits.length < MIN_DIGITS_TO_SHOW_TAIL) return PHONE_MASK;
  return `${PHONE_MASK} ${digits.slice(-4)}`;
}
