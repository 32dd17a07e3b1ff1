import type { Role, TwoFactorMethod } from '../../common/api';
import { formattingLocale, t, type MessageKey } from '../i18n';

type TwoFactorStatus = 'active' | 'not_enrolled' | 'pending';

/*
 * Dates, times, numbers and country names through Intl, in the language the app shows (with the
 * administrator's regional variant of it). Formatters are made once per locale.
 */
const formatters = new Map<string, { number: Intl.NumberFormat; dateTime: Intl.DateTimeFormat; regions: Intl.DisplayNames | null }>();
function formattersFor(locale: string) {
  let entry = formatters.get(locale);
  if (entry === undefined) {
    let regions: Intl.DisplayNames | null;
    try {
      regions = new Intl.DisplayNames([locale], { type: 'region' });
    } catch {
      regions = null;
    }
    entry = { number: new Intl.NumberFormat(locale), dateTime: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }), regions };
    formatters.set(locale, entry);
  }
  return entry;
}

export function formatNumber(value: number): string {
  return formattersFor(formattingLocale()).number.format(value);
}

/** "1 employee", "1,234 employees" (in the language shown, with its plural forms). */
export function formatEmployeeCount(count: number): string {
  return t('employees.count', { count: formatNumber(count) }, count);
}

/** A portal timestamp in the administrator's own locale and time zone; null is "Never". */
export function formatDateTime(iso: string | null): string {
  if (iso === null) return t('format.never');
  const time = Date.parse(iso);
  return Number.isNaN(time) ? t('format.unknownDate') : formattersFor(formattingLocale()).dateTime.format(time);
}

/** A read-only table whose values are messages: each read gives the text in the language shown now. */
export function labels<K extends string>(keys: readonly K[], key: (value: K) => MessageKey): Readonly<Record<K, string>> {
  const table = {} as Record<K, string>;
  for (const value of keys) Object.defineProperty(table, value, { enumerable: true, get: () => t(key(value)) });
  return Object.freeze(table);
}

export const ROLE_LABELS: Readonly<Record<Role, string>> = labels(['admin', 'business', 'tech', 'sales'], (role) => `roles.${role}`);

export const TWO_FACTOR_STATUS_LABELS: Readonly<Record<TwoFactorStatus, string>> = labels(
  ['active', 'not_enrolled', 'pending'],
  (status) => `twoFactorStatus.${status}`,
);

export const TWO_FACTOR_METHOD_LABELS: Readonly<Record<TwoFactorMethod, string>> = labels(['sms', 'voice', 'totp'], (method) => `twoFactorMethod.${method}`);

/** "United Kingdom" for GB (in the language shown); the code itself where the runtime has no name for it. */
export function countryName(code: string): string {
  try {
    return formattersFor(formattingLocale()).regions?.of(code) ?? code;
  } catch {
    return code;
  }
}
