import { formatInternational } from '../../common/phone';

/*
 * Display strings for grid cells, memoised: formatting a number with libphonenumber-js costs
 * ~11 µs, and only the visible rows are ever formatted.
 */
const phoneCache = new Map<string, string>();
const PHONE_CACHE_LIMIT = 20_000;

export function displayPhone(cellPhone: string | null): string {
  if (cellPhone === null) return '';
  let text = phoneCache.get(cellPhone);
  if (text === undefined) {
    // Masked numbers (non-admins see "•••• 0100") are not E.164 and come back unchanged.
    text = formatInternational(cellPhone);
    if (phoneCache.size >= PHONE_CACHE_LIMIT) phoneCache.clear();
    phoneCache.set(cellPhone, text);
  }
  return text;
}
