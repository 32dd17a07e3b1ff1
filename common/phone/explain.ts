import { parsePhoneNumberWithError, type PhoneNumberType } from 'libphonenumber-js/max';
import { toRegion } from './countries';
import { PHONE_MESSAGES_EN, phoneMessage } from './messages';
import { normalizePhoneInput } from './normalize';
import { telUriToText } from './tel-uri';
import type { PhoneReason } from './types';

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
  const kinds: Partial<Record<PhoneNumberType, string>> = PHONE_MESSAGES_EN.kinds;
  const kind = type === null || !Object.hasOwn(kinds, type) ? undefined : kinds[type];
  return kind === undefined ? phoneMessage(reason) : PHONE_MESSAGES_EN.kindRefused.replace('{kind}', kind);
}
