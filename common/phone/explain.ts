import { parsePhoneNumberWithError, type PhoneNumberType } from 'libphonenumber-js/max';
import { toRegion } from './countries';
import { phoneMessage } from './messages';
import { normalizePhoneInput } from './normalize';
import { telUriToText } from './tel-uri';
import type { PhoneReason } from './types';

/** Which kind of service number it is, in the words an administrator knows. */
const KIND_SENTENCES: Partial<Record<PhoneNumberType, string>> = {
  TOLL_FREE: 'This is a toll-free number (like 1-800 and 0800 numbers)',
  PREMIUM_RATE: 'This is a premium-rate number (like 1-900 and 09 numbers)',
  SHARED_COST: 'This is a shared-cost number (like 0845 numbers)',
  PAGER: 'This is a pager number',
  UAN: "This is a company's universal access number",
  VOICEMAIL: 'This is a voicemail access number',
  PERSONAL_NUMBER: 'This is a personal call-forwarding number (like UK 070 numbers): calls to it are forwarded to wherever its owner chooses',
};

/** For a refusal of a service number, which kind it is (TOLL_FREE, PAGER…); null otherwise. */
export function refusedNumberKind(input: unknown, region: string | null, reason: PhoneReason): PhoneNumberType | null {
  if (reason !== 'unreachable_type' || typeof input !== 'string') return null;
  try {
    return parsePhoneNumberWithError(telUriToText(normalizePhoneInput(input)), { defaultCountry: toRegion(region), extract: false }).getType() ?? null;
  } catch {
    return null;
  }
}

/**
 * The sentence for a refusal of `input` (read with `region`): for a service number it names the
 * kind ("This is a toll-free number …"), otherwise it is `phoneMessage(reason)`.
 */
export function explainPhoneRefusal(input: unknown, region: string | null, reason: PhoneReason): string {
  const type = refusedNumberKind(input, region, reason);
  const kind = type === null ? undefined : KIND_SENTENCES[type];
  return kind === undefined ? phoneMessage(reason) : `${kind}, so it cannot receive login codes. Enter the employee's own cell phone number.`;
}
