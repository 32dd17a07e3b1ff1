import {
  getCountries,
  getCountryCallingCode,
  isSupportedCountry as libIsSupportedCountry,
  parsePhoneNumberWithError,
  type CountryCode,
} from 'libphonenumber-js/max';
import { E164_PATTERN } from './types';

export type { CountryCode };

export interface PhoneCountry {
  /** ISO 3166-1 alpha-2, upper case, e.g. `GB`. */
  readonly code: CountryCode;
  /** Country calling code without `+`, e.g. `44`. */
  readonly callingCode: string;
}

const ISO_ALPHA2 = /^[A-Z]{2}$/;

/**
 * True for an upper-case ISO 3166-1 alpha-2 code that the phone metadata knows (e.g. `US`, `GB`).
 * Strict on purpose: use it to check a stored setting (`us`, ` US` and `constructor` are false).
 */
export function isSupportedCountry(code: string): code is CountryCode {
  return typeof code === 'string' && ISO_ALPHA2.test(code) && libIsSupportedCountry(code);
}

/**
 * Reads the `region` argument of the phone helpers leniently: trims and upper-cases it, and
 * treats anything unknown (`'ZZ'`, `''`, a non-string) as "no region". Never throws.
 */
export function toRegion(region: unknown): CountryCode | undefined {
  if (typeof region !== 'string' || region.length > 8) return undefined;
  const code = region.trim().toUpperCase();
  return isSupportedCountry(code) ? code : undefined;
}

let countriesCache: readonly PhoneCountry[] | undefined;

/** Every country the phone metadata supports, sorted by code, for a country selector. */
export function phoneCountries(): PhoneCountry[] {
  countriesCache ??= getCountries()
    .slice()
    .sort()
    .map((code) => Object.freeze({ code, callingCode: getCountryCallingCode(code) }));
  return countriesCache.slice();
}

/**
 * The ISO country of an E.164 number (e.g. `+442079460000` → `GB`, `+390669880000` → `VA`).
 * Undefined when the argument is not E.164, the number's country cannot be told, or the number
 * is non-geographic (e.g. `+800…`, `+882…`).
 */
export function countryOfPhone(e164: string): string | undefined {
  if (typeof e164 !== 'string' || !E164_PATTERN.test(e164)) return undefined;
  try {
    return parsePhoneNumberWithError(e164, { extract: false }).country;
  } catch {
    return undefined;
  }
}
