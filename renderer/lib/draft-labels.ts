import type { Draft, DraftState, SyncStatus } from '../../common/drafts';
import { IPC_ERROR_CODES, type IpcErrorCode } from '../../common/ipc/result';
import { currentLocale, t, type MessageKey } from '../i18n';
import { displayPhone } from './display-phone';
import { describeError } from './errors';
import { formatDateTime, formatNumber, labels } from './format';
import { isPhoneReason, phoneReasonText } from './phone-messages';

/** The short word on a draft's chip ("Draft", "Conflict"), in the language shown. */
export const DRAFT_STATE_LABELS: Readonly<Record<DraftState, string>> = labels(
  ['pending', 'syncing', 'synced', 'conflict', 'rejected', 'failed'],
  (state) => `draftStates.${state}`,
);

/** What the state means, for a screen reader ("not yet synced"). */
const DRAFT_STATE_PHRASES: Readonly<Record<DraftState, string>> = labels(
  ['pending', 'syncing', 'synced', 'conflict', 'rejected', 'failed'],
  (state) => `draftStates.${state}Spoken`,
);

/** "Draft: +1 212 555 0177, not yet synced": the accessible name of a draft's badge. */
export function draftBadgeLabel(draft: Pick<Draft, 'cellPhone' | 'state'>, phone: string = displayPhone(draft.cellPhone)): string {
  return t('draftStates.badge', { number: phone, state: DRAFT_STATE_PHRASES[draft.state] });
}

/** The chip's colour class (chip--draft-…), shared by the grid and the Outbox. */
export function draftChipClass(state: DraftState): string {
  return `draft-chip draft-chip--${state}`;
}

/** The portal's refusals by their code (or HTTP status, when the portal gave no code). */
const PORTAL_CODE_TEXTS: Readonly<Record<string, MessageKey>> = {
  bad_request: 'outbox.errorNotAccepted',
  400: 'outbox.errorNotAccepted',
  403: 'errors.forbidden',
  404: 'errors.not_found',
  precondition_required: 'outbox.errorNoVersion',
  428: 'outbox.errorNoVersion',
  verification_required: 'outbox.errorVerificationRequired',
  unchanged: 'errors.fields.unchanged',
  in_progress: 'outbox.errorNotYet',
  409: 'outbox.errorNotYet',
  server_error: 'errors.server',
};

/**
 * Why a draft was rejected or failed, in the language shown: the app's own sentence for its error
 * code (a number's refusal by its reason), never the portal's English `message`.
 */
export function draftErrorText(error: NonNullable<Draft['error']>, state: DraftState): string {
  const { code } = error;
  if (isPhoneReason(code)) return phoneReasonText(code);
  if (Object.hasOwn(PORTAL_CODE_TEXTS, code)) return t(PORTAL_CODE_TEXTS[code]!);
  if (isIpcErrorCode(code) && code !== 'server') return describeError({ code, message: '' });
  return state === 'rejected' ? t('outbox.errorRefused') : t('outbox.errorNotYet');
}

function isIpcErrorCode(code: string): code is IpcErrorCode {
  return (IPC_ERROR_CODES as readonly string[]).includes(code);
}

const WAIT_TEXTS = {
  sign_in: 'auth.signInToSend',
  preparing: 'outbox.reasonPreparing',
  portal_unreachable: 'outbox.reasonOffline',
  not_admin: 'outbox.reasonNotAdmin',
  step_up: 'outbox.reasonStepUp',
} as const satisfies Record<Exclude<NonNullable<SyncStatus['reasonCode']>, 'send_failed'>, MessageKey>;

/** Why sync waits, in the language shown (main's English `reason` only when the app shows English and no code came). */
export function syncWaitText(sync: SyncStatus): string {
  const code = sync.reasonCode;
  if (code === 'send_failed') {
    const errorCode = sync.errorCode ?? 'server';
    const reason = isIpcErrorCode(errorCode) ? describeError({ code: errorCode, message: '' }) : t('errors.server');
    return t('outbox.reasonRetrying', { reason });
  }
  if (code != null) return t(WAIT_TEXTS[code]);
  return currentLocale() === 'en' && sync.reason ? sync.reason : t('outbox.syncWaiting');
}

/** The sync line under the Outbox's heading: running with progress, waiting and why, or done. */
export function syncStatusText(sync: SyncStatus, draftCount: number): string {
  if (sync.state === 'running') return t('outbox.syncSending', { done: formatNumber(sync.done), total: formatNumber(sync.total) });
  if (sync.state === 'waiting') {
    const next = sync.nextAttemptAt ? ` ${t('outbox.syncNextAttempt', { date: formatDateTime(sync.nextAttemptAt) })}` : '';
    return `${syncWaitText(sync)}${next}`;
  }
  if (draftCount === 0) return sync.lastSyncAt ? t('outbox.syncAllSentAt', { date: formatDateTime(sync.lastSyncAt) }) : t('outbox.syncAllSent');
  if (sync.nextAttemptAt) return t('outbox.syncNextAttempt', { date: formatDateTime(sync.nextAttemptAt) });
  return sync.lastSyncAt ? t('outbox.syncLastSync', { date: formatDateTime(sync.lastSyncAt) }) : t('outbox.syncWhenReachable');
}
