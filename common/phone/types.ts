/**
 * Result types of the phone-number rules (the policy: common/phone/README.md).
 * Shared by renderer, Electron main and the portal server: keep this file free of runtime imports.
 */

/** Why a phone number was refused. Stable codes: they travel over IPC and the API. */
export const PHONE_REASONS = [
  'required',
  'not_a_string',
  'too_long',
  'needs_country',
  'invalid',
  'extension_not_allowed',
  'unreachable_type',
] as const;
export type PhoneReason = (typeof PHONE_REASONS)[number];

/** Accepted, but worth telling the administrator about. */
export const PHONE_WARNINGS = ['landline'] as const;
export type PhoneWarning = (typeof PHONE_WARNINGS)[number];

export type PhoneResult =
  | {
      ok: true;
      /** The number to store, in E.164 form: `+` and 2–15 digits, e.g. `+12125550100`. */
      e164: string;
      warning?: PhoneWarning;
      /** ISO 3166-1 alpha-2 code of the number's country; absent for non-geographic numbers (e.g. +882). */
      country?: string;
      /** libphonenumber-js number type, e.g. `MOBILE`, `FIXED_LINE`, `FIXED_LINE_OR_MOBILE`. */
      type?: string;
    }
  | { ok: false; reason: PhoneReason };

/**
 * Raw inputs longer than this (in UTF-16 code units, i.e. `string.length`, the same unit zod's
 * `.max()` counts) are refused as `too_long` before any normalisation or parsing.
 */
export const PHONE_MAX_RAW_LENGTH = 250;

/** What an accepted number always looks like. */
export const E164_PATTERN = /^\+[1-9]\d{1,14}$/;

export function isPhoneReason(value: unknown): value is PhoneReason {
  return typeof value === 'string' && (PHONE_REASONS as readonly string[]).includes(value);
}
