import type { Role, TwoFactorMethod } from '../../common/api';

type TwoFactorStatus = 'active' | 'not_enrolled' | 'pending';

const numberFormat = new Intl.NumberFormat();
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** "1 employee", "1,234 employees". */
export function formatEmployeeCount(count: number): string {
  return `${formatNumber(count)} ${count === 1 ? 'employee' : 'employees'}`;
}

/** A portal timestamp in the administrator's own locale and time zone; null is "Never". */
export function formatDateTime(iso: string | null): string {
  if (iso === null) return 'Never';
  const time = Date.parse(iso);
  return Number.isNaN(time) ? '—' : dateTimeFormat.format(time);
}

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  admin: 'Admin',
  business: 'Business',
  tech: 'Technician',
  sales: 'Sales',
};

export const TWO_FACTOR_STATUS_LABELS: Readonly<Record<TwoFactorStatus, string>> = {
  active: 'Active',
  not_enrolled: 'Not enrolled',
  pending: 'Pending',
};

export const TWO_FACTOR_METHOD_LABELS: Readonly<Record<TwoFactorMethod, string>> = {
  sms: 'Text message',
  voice: 'Voice call',
  totp: 'Authenticator app',
};

const regionNames = (() => {
  try {
    return new Intl.DisplayNames(undefined, { type: 'region' });
  } catch {
    return null;
  }
})();

/** "United Kingdom" for GB; the code itself where the runtime has no name for it. */
export function countryName(code: string): string {
  try {
    return regionNames?.of(code) ?? code;
  } catch {
    return code;
  }
}
