import { getExampleNumber } from 'libphonenumber-js/max';
import mobileExamples from 'libphonenumber-js/mobile/examples';
import { toRegion } from './countries';

/**
 * An example cell phone number of a country, written as it is dialled there (`07400 123456` in
 * GB, `(201) 555-0123` in the US): libphonenumber's own MOBILE example, never a landline, so the
 * example shows the kind of number the field wants. Null for an unknown country.
 */
export function exampleMobile(country: string | null): string | null {
  const region = toRegion(country);
  if (region === undefined) return null;
  return getExampleNumber(region, mobileExamples)?.formatNational() ?? null;
}
