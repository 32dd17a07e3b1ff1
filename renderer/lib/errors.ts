import type { IpcError } from '../../common/ipc';
import { currentLocale, t, type MessageKey } from '../i18n';
import { formatNumber } from './format';
import { isPhoneReason, phoneReasonText } from './phone-messages';

/** "45 seconds", "1 minute", "3 minutes", "2 hours": a wait in words, rounded up. */
export function formatWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return t('format.seconds', { count: formatNumber(s) }, s);
  const minutes = Math.ceil(s / 60);
  if (minutes < 60) return t('format.minutes', { count: formatNumber(minutes) }, minutes);
  const hours = Math.ceil(minutes / 60);
  return t('format.hours', { count: formatNumber(hours) }, hours);
}

/** "0:27", "1:05": a countdown as people read it on a clock. */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * One plain sentence for an error from the bridge, in the language shown: the app's own text for
 * each error code (a phone field's refusal by its reason), never the portal's or main's English
 * `message`, so nothing technical (status codes, stack traces, host names of proxies) reaches the
 * administrator either.
 */
export function describeError(error: IpcError): string {
  switch (error.code) {
    case 'validation': {
      const field = error.fields?.[0];
      if (field !== undefined && isPhoneReason(field.code)) return phoneReasonText(field.code);
      const fieldText = field === undefined ? null : fieldCodeText(field.code);
      if (fieldText !== null) return fieldText;
      // Main's own sentence for a check without a code of ours; it is English, so only English shows it.
      const message = field?.message ?? error.message;
      return currentLocale() === 'en' && message.trim() !== '' ? message : t('errors.validation');
    }
    case 'rate_limited':
      return error.retryAfterSeconds !== undefined ? t('errors.rateLimitedFor', { wait: formatWait(error.retryAfterSeconds) }) : t('errors.rate_limited');
    case 'locked':
      if (error.retryAfterSeconds !== undefined) return t('errors.lockedFor', { wait: formatWait(error.retryAfterSeconds) });
      // Main passes the portal's reason when it gave one (too many wrong codes in a row).
      return error.message.startsWith('Too many wrong codes') ? t('errors.lockedWrongCodes') : t('errors.locked');
    case 'invalid_code':
      return error.attemptsLeft !== undefined ? t('errors.invalidCodeAttempts', { attempts: attemptsLeftText(error.attemptsLeft) }) : t('errors.invalid_code');
    default:
      return Object.hasOwn(FIXED_TEXTS, error.code) ? t(FIXED_TEXTS[error.code as keyof typeof FIXED_TEXTS]) : t('errors.server');
  }
}

/** Field codes of main's own checks (the portal's certificate file, a number that did not change). */
const FIELD_TEXTS = {
  unreadable: 'errors.fields.unreadable',
  not_a_certificate: 'errors.fields.not_a_certificate',
  unchanged: 'errors.fields.unchanged',
} as const satisfies Record<string, MessageKey>;

/** The app's text for a field code of main's own checks; null for another code. */
export function fieldCodeText(code: string): string | null {
  return Object.hasOwn(FIELD_TEXTS, code) ? t(FIELD_TEXTS[code as keyof typeof FIELD_TEXTS]) : null;
}

const FIXED_TEXTS = {
  offline: 'errors.offline',
  timeout: 'errors.timeout',
  unauthenticated: 'errors.unauthenticated',
  forbidden: 'errors.forbidden',
  not_found: 'errors.not_found',
  conflict: 'errors.conflict',
  step_up_required: 'errors.step_up_required',
  invalid_credentials: 'errors.invalid_credentials',
  challenge_expired: 'errors.challenge_expired',
  tls_untrusted: 'errors.tls_untrusted',
  not_configured: 'errors.not_configured',
  keychain_unavailable: 'errors.keychain_unavailable',
  forbidden_sender: 'errors.forbidden_sender',
  invalid_input: 'errors.invalid_input',
  unsynced_drafts: 'errors.unsynced_drafts',
  storage: 'errors.storage',
  server: 'errors.server',
} as const satisfies Partial<Record<IpcError['code'], MessageKey>>;

export function attemptsLeftText(attemptsLeft: number): string {
  if (attemptsLeft === 0) return t('errors.noAttemptsLeft');
  return t('errors.attemptsLeft', { count: formatNumber(attemptsLeft) }, attemptsLeft);
}
