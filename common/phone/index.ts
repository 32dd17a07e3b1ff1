/**
 * The phone-number rules shared by renderer, Electron main and the portal server.
 * Pure TypeScript on libphonenumber-js (max metadata); browser-safe.
 */
export {
  PHONE_REASONS,
  PHONE_WARNINGS,
  PHONE_MAX_RAW_LENGTH,
  E164_PATTERN,
  isPhoneReason,
  type PhoneReason,
  type PhoneWarning,
  type PhoneResult,
} from './types';
export { normalizePhoneInput } from './normalize';
export { validatePhone } from './validate';
export { PHONE_MESSAGES_EN, phoneMessage, phoneWarningMessage } from './messages';
export { explainPhoneRefusal, refusedNumberKind } from './explain';
export { telUriToText } from './tel-uri';
export { formatInternational, formatAsYouType } from './format';
export { exampleMobile } from './example';
export { maskPhone, PHONE_MASK } from './mask';
export { maskPhoneForScreen } from './screen-mask';
export {
  countryOfPhone,
  isSupportedCountry,
  phoneCountries,
  toRegion,
  type CountryCode,
  type PhoneCountry,
} from './countries';
