import { PHONE_MAX_RAW_LENGTH, type PhoneReason, type PhoneWarning } from './types';

/** Plain words for an administrator, one per reason. */
const REASON_MESSAGES: Readonly<Record<PhoneReason, string>> = {
  required: "Enter the employee's cell phone number.",
  not_a_string: 'The phone number was not sent as text. Type it into the field again.',
  too_long: `This is too long to be a phone number (more than ${PHONE_MAX_RAW_LENGTH} characters).`,
  needs_country:
    'Choose the country this number belongs to, or enter it in international form starting with + and the country code (for example +44 7400 123456).',
  invalid: 'This is not a valid phone number. Check the digits and the country.',
  extension_not_allowed: 'Remove the extension: a login code cannot reach an extension.',
  unreachable_type:
    "Premium-rate, toll-free, shared-cost, pager and call-forwarding numbers (and other service numbers such as voicemail) cannot receive login codes. Enter the employee's own cell phone number.",
};

const WARNING_MESSAGES: Readonly<Record<PhoneWarning, string>> = {
  landline: 'This looks like a landline: the employee will get login codes by voice call, not by text message.',
};

/** The administrator-facing sentence for a refusal. An unknown code (e.g. from an older peer) gets the `invalid` text. */
export function phoneMessage(reason: PhoneReason): string {
  return Object.hasOwn(REASON_MESSAGES, reason) ? REASON_MESSAGES[reason] : REASON_MESSAGES.invalid;
}

/** The administrator-facing sentence for a warning on an accepted number. */
export function phoneWarningMessage(w: PhoneWarning): string {
  return Object.hasOwn(WARNING_MESSAGES, w) ? WARNING_MESSAGES[w] : '';
}
