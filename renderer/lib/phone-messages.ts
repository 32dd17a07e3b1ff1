import { isPhoneReason, PHONE_MAX_RAW_LENGTH, type PhoneReason, type PhoneWarning } from '../../common/phone/types';
import { t, type MessageKey } from '../i18n';

/*
 * The phone rules' refusals and warnings (common/phone) in the language shown. Only the types
 * module is imported: the sign-in page shows these (through describeError) without loading the
 * phone metadata.
 */

export { isPhoneReason };

/** The administrator-facing sentence for a refusal reason. */
export function phoneReasonText(reason: PhoneReason): string {
  return t(`phone.reasons.${reason}`, { max: PHONE_MAX_RAW_LENGTH });
}

/** A refused service number, by its kind (libphonenumber's type name); the reason's sentence when the kind has none. */
export function phoneRefusalText(reason: PhoneReason, kind: string | null): string {
  const key = kind === null ? null : (`phone.kinds.${kind}` as MessageKey);
  return key !== null && kind !== null && Object.hasOwn(KIND_KEYS, kind) ? t('phone.kindRefused', { kind: t(key) }) : phoneReasonText(reason);
}
const KIND_KEYS = { TOLL_FREE: 1, PREMIUM_RATE: 1, SHARED_COST: 1, PAGER: 1, UAN: 1, VOICEMAIL: 1, PERSONAL_NUMBER: 1 } as const;

export function phoneWarningText(warning: PhoneWarning): string {
  return warning === 'landline' ? t('phone.landline') : '';
}
