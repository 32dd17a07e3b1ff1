/**
 * Step 2 of the phone policy: turn what an administrator typed or pasted into plain text that
 * libphonenumber-js can read.
 *
 * 1. Unicode NFKC: fullwidth `＋４４` and other compatibility forms become ASCII `+44`.
 * 2. Remove every format character (general category Cf): bidi marks and overrides (U+200E,
 *    U+202E, U+2066…), zero-width space/joiners (U+200B–U+200D), word joiner, soft hyphen, BOM…
 * 3. Fold every kind of space (Unicode White_Space: NBSP, thin/narrow spaces, ideographic space,
 *    tabs, line breaks) to an ASCII space.
 * 4. Trim.
 *
 * Callers must check the raw length (PHONE_MAX_RAW_LENGTH) first; this function does not.
 */
const FORMAT_CHARS = /\p{Cf}/gu;
const SPACES = /\p{White_Space}/gu;

export function normalizePhoneInput(raw: string): string {
  return raw.normalize('NFKC').replace(FORMAT_CHARS, '').replace(SPACES, ' ').trim();
}
