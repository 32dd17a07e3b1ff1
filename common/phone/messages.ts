import { PHONE_MAX_RAW_LENGTH, type PhoneReason, type PhoneWarning } from './types';

/**
 * The phone rules' sentences in English: the one source for main and the server (phoneMessage,
 * explainPhoneRefusal) and for the renderer's English messages (renderer/i18n/messages/en.ts
 * takes this object as its `phone` section; the other languages translate it there).
 * Written in vue-i18n's message syntax: `{max}` and `{kind}` are placeholders.
 */
export const PHONE_MESSAGES_EN = {
  reasons: {
    required: "Enter the employee's cell phone number.",
    not_a_string: 'The phone number was not sent as text. Type it into the field again.',
    too_long: 'This is too long to be a phone number (more than {max} characters).',
    needs_country:
      'Choose the country this number belongs to, or enter it in international form starting with + and the country code (for example +44 7400 123456).',
    invalid: 'This is not a valid phone number. Check the digits and the country.',
    extension_not_allowed: 'Remove the extension: a login code cannot reach an extension.',
    unreachable_type:
      "Premium-rate, toll-free, shared-cost, pager and call-forwarding numbers (and other service numbers such as voicemail) cannot receive login codes. Enter the employee's own cell phone number.",
  } satisfies Record<PhoneReason, string>,
  /** Which kind of service number it is (libphonenumber's type names), in the words an administrator knows. */
  kinds: {
    TOLL_FREE: 'This is a toll-free number (like 1-800 and 0800 numbers)',
    PREMIUM_RATE: 'This is a premium-rate number (like 1-900 and 09 numbers)',
    SHARED_COST: 'This is a shared-cost number (like 0845 numbers)',
    PAGER: 'This is a pager number',
    UAN: "This is a company's universal access number",
    VOICEMAIL: 'This is a voicemail access number',
    PERSONAL_NUMBER: 'This is a personal call-forwarding number (like UK 070 numbers): calls to it are forwarded to wherever its owner chooses',
  },
  kindRefused: "{kind}, so it cannot receive login codes. Enter the employee's own cell phone number.",
  landline: 'This looks like a landline: the employee will get login codes by voice call, not by text message.',
};

/** The administrator-facing sentence for a refusal. An unknown code (e.g. from an older peer) gets the `invalid` text. */
export function phoneMessage(reason: PhoneReason): string {
  const reasons = PHONE_MESSAGES_EN.reasons;
  return (Object.hasOwn(reasons, reason) ? reasons[reason] : reasons.invalid).replace('{max}', String(PHONE_MAX_RAW_LENGTH));
}

/** The administrator-facing sentence for a warning on an accepted number. */
export function phoneWarningMessage(w: PhoneWarning): string {
  return w === 'landline' ? PHONE_MESSAGES_EN.landline : '';
}
