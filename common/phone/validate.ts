import { ParseError, parsePhoneNumberWithError, type PhoneNumber, type PhoneNumberType } from 'libphonenumber-js/max';
import { toRegion } from './countries';
import { normalizePhoneInput } from './normalize';
import { telUriToText } from './tel-uri';
import { E164_PATTERN, PHONE_MAX_RAW_LENGTH, type PhoneReason, type PhoneResult } from './types';

/** Numbers that cannot receive a login code (policy step 5). */
const UNREACHABLE_TYPES: ReadonlySet<PhoneNumberType> = new Set<PhoneNumberType>([
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'PAGER',
  'UAN',
  'VOICEMAIL',
  // Personal numbers (UK +44 70…) forward calls to wherever their owner points them: a code sent
  // there can be redirected by whoever controls the forwarding, so they are refused like the rest.
  'PERSONAL_NUMBER',
]);

/**
 * Landlines get their code by voice call (policy step 6). `FIXED_LINE_OR_MOBILE` (e.g. all of the
 * US and Canada, where the two share number ranges) carries no warning: the test data expects
 * `+12125550100` to be accepted without one.
 */
const LANDLINE_TYPES: ReadonlySet<PhoneNumberType> = new Set<PhoneNumberType>(['FIXED_LINE']);

const fail = (reason: PhoneReason): PhoneResult => ({ ok: false, reason });

/**
 * The one set of rules for an employee's two-factor phone number, used by renderer, main and
 * server alike. Follows the policy in common/phone/README.md step by step; never throws.
 *
 * @param input  whatever arrived (a form field, a JSON body, an IPC argument)
 * @param region the company's default country (ISO 3166-1 alpha-2) used to read national
 *               numbers such as `020 7946 0000`; null for none. Read leniently (`gb` is GB);
 *               an unknown code counts as no region.
 */
export function validatePhone(input: unknown, region: string | null): PhoneResult {
  // Step 1: type and raw length, before any normalisation or parsing.
  if (input === null || input === undefined) return fail('required');
  if (typeof input !== 'string') return fail('not_a_string');
  if (input.length > PHONE_MAX_RAW_LENGTH) return fail('too_long');

  // Step 2: normalise; a pasted `tel:` URI is read as the number (and extension) it holds.
  const text = telUriToText(normalizePhoneInput(input));
  if (text === '') return fail('required');

  // Step 3: parse the whole text (extract: false: no digging a number out of surrounding text)
  // with the default region.
  const defaultCountry = toRegion(region);
  let number: PhoneNumber;
  try {
    number = parsePhoneNumberWithError(text, { defaultCountry, extract: false });
  } catch (error) {
    // INVALID_COUNTRY without a region and without a leading + means a national number
    // (`020 7946 0000`, `0044…`) that nothing tells us how to read. With a leading + (`+0 123`)
    // or with a region, the number itself is wrong.
    if (
      error instanceof ParseError &&
      error.message === 'INVALID_COUNTRY' &&
      defaultCountry === undefined &&
      !text.startsWith('+')
    ) {
      return fail('needs_country');
    }
    // NOT_A_NUMBER, TOO_SHORT, TOO_LONG (more digits than E.164 allows), …
    return fail('invalid');
  }
  // With the max metadata isValid() is getType() !== undefined, each a pass of the plan's number
  // patterns: a number with a type is valid without asking twice (half the work of a 100,000-row import).
  const type = number.getType();
  if (type === undefined && !number.isValid()) return fail('invalid');

  // Step 4: extensions (`ext.`, `x`, `#`, `,,`, `;ext=`): a login code cannot wait for one.
  if (number.ext) return fail('extension_not_allowed');

  // Step 5: numbers that cannot receive a login code.
  if (type !== undefined && UNREACHABLE_TYPES.has(type)) return fail('unreachable_type');

  // Step 6: accept, as E.164.
  const e164 = number.number;
  if (!E164_PATTERN.test(e164)) return fail('invalid'); // defensive: never store anything else
  return {
    ok: true,
    e164,
    ...(type !== undefined && LANDLINE_TYPES.has(type) ? { warning: 'landline' as const } : {}),
    ...(number.country !== undefined ? { country: number.country } : {}),
    ...(type !== undefined ? { type } : {}),
  };
}
