import type { ImportActivity, ImportChange, ImportError, ImportState } from '../../common/ipc/import-channels';
import { IPC_ERROR_CODES, type IpcErrorCode } from '../../common/ipc/result';
import { maskPhoneForScreen } from '../../common/phone/screen-mask';
import { currentLocale, t, type MessageKey } from '../i18n';
import { draftErrorText } from './draft-labels';
import { describeError } from './errors';
import { formatNumber } from './format';
import { isPhoneReason, phoneReasonText } from './phone-messages';

/*
 * "Import phone numbers" in the language shown: main sends a code and its params for every file
 * problem, row error and outcome (its English `message` is for the result file and the log), and
 * every phone number here goes through privacy mode.
 */

/** The column headers the file is read by (main matches these English names), shown as they must be written. */
export const IMPORT_COLUMN_NAMES = { email: 'Email', employeeId: 'Employee ID', phone: 'Cell phone number', country: 'Country' } as const;

/** How a number shows on screen: the store's `phoneText` (privacy mode) and, for a cell that is not a number, whether to mask. */
export interface PhoneShown {
  phoneText(cellPhone: string | null, employeeId?: string | null): string;
  isMasked(employeeId?: string | null): boolean;
}

const ACTIVITY_KEYS = {
  reading: 'importProblems.activityReading',
  loading_employees: 'importProblems.activityLoadingEmployees',
  checking_rows: 'importProblems.activityCheckingRows',
  applying: 'importProblems.activityApplying',
  waiting_for_code: 'importProblems.activityWaitingForCode',
} as const satisfies Record<ImportActivity, MessageKey>;

export function importActivityText(activity: ImportActivity | null): string {
  return activity === null ? t('app.working') : t(ACTIVITY_KEYS[activity]);
}

function ipcErrorText(code: string | undefined): string {
  return code !== undefined && (IPC_ERROR_CODES as readonly string[]).includes(code) ? describeError({ code: code as IpcErrorCode, message: '' }) : t('errors.server');
}

/** Why the file cannot be checked or applied; main's English only in English and only when no code came. */
export function importProblemText(state: Pick<ImportState, 'problem' | 'problemCode' | 'problemParams'>): string | null {
  const params = state.problemParams ?? {};
  const row = formatNumber(params.row ?? 1);
  switch (state.problemCode) {
    case 'file_too_large':
      return t('importPhones.fileTooLarge', { name: params.name ?? '', size: formatNumber(params.max ?? 0) });
    case 'file_empty':
      return t('importPhones.fileEmpty', { name: params.name ?? '' });
    case 'not_csv':
      return t('importProblems.notCsv', { row });
    case 'quote_not_closed':
      return t('importProblems.quoteNotClosed', { row });
    case 'text_after_quote':
      return t('importProblems.textAfterQuote', { row });
    case 'too_many_rows':
      return t('importProblems.tooManyRows', { max: formatNumber(params.max ?? 0) });
    case 'no_header':
      return t('importProblems.noHeader');
    case 'no_phone_column': {
      const columns = params.columns?.length ? params.columns.map((name) => `“${name}”`).join(', ') : t('importProblems.noColumnNames');
      return t('importProblems.noPhoneColumn', { phone: IMPORT_COLUMN_NAMES.phone, columns });
    }
    case 'no_match_column':
      return t('importProblems.noMatchColumn', { employeeId: IMPORT_COLUMN_NAMES.employeeId, email: IMPORT_COLUMN_NAMES.email });
    case 'request_failed':
      return t('importProblems.requestFailed', { reason: ipcErrorText(params.errorCode) });
    case 'failed':
      return t('errors.unexpected');
    default:
      if (state.problem === null) return null;
      return currentLocale() === 'en' ? state.problem : t('errors.unexpected');
  }
}

/** A row of the file that will not be applied, and why. */
export function importErrorText(error: ImportError, phones: PhoneShown): string {
  const name = error.name ?? '';
  const value = error.value ?? '';
  const otherRow = formatNumber(error.otherRow ?? 0);
  switch (error.code) {
    case 'no_employee_key':
      return t('importProblems.noEmployeeKey');
    case 'id_email_mismatch':
      return t('importProblems.idEmailMismatch', { id: value, email: error.email ?? '' });
    case 'unknown_id':
      return t('importProblems.unknownId', { id: value });
    case 'unknown_email':
      return t('importProblems.unknownEmail', { email: value });
    case 'unknown_country':
      return t('importProblems.unknownCountry', { country: value, name });
    case 'no_number':
      return t('importProblems.noNumber', { name });
    case 'duplicate_same':
      return t('importProblems.duplicateSame', { name, otherRow });
    case 'duplicate_different':
      return t('importProblems.duplicateDifferent', { name, otherRow });
    case 'invalid_number': {
      // The cell as the file has it (it is no valid number to format), masked in privacy mode.
      const number = phones.isMasked() ? (maskPhoneForScreen(value) ?? '') : value;
      const reason = error.reason !== undefined && isPhoneReason(error.reason) ? phoneReasonText(error.reason) : t('errors.validation');
      return t('importProblems.invalidNumber', { number, name, reason });
    }
    default:
      return currentLocale() === 'en' ? error.message : t('importProblems.rowNotImported');
  }
}

const NOT_SENT_KEYS = {
  cancelled: 'importProblems.notSentCancelled',
  request_refused: 'importProblems.notSentRefused',
  draft_failed: 'importProblems.notSentNoDraft',
} as const satisfies Record<NonNullable<ImportChange['notSentCode']>, MessageKey>;

/** What became of a change after an apply (a conflict names the portal's number through privacy mode), or its landline note. */
export function importChangeNote(change: ImportChange, phones: PhoneShown): string {
  switch (change.status) {
    case 'conflict':
      if (change.portalPhone === undefined) return t('importProblems.conflict');
      if (change.portalPhone === null) return t('importProblems.conflictNowNone');
      return t('importProblems.conflictNow', { number: phones.phoneText(change.portalPhone, change.employeeId) });
    case 'refused':
      return draftErrorText({ code: change.errorCode ?? '', message: '' }, 'rejected');
    case 'not_sent':
      return t(NOT_SENT_KEYS[change.notSentCode ?? 'request_refused'], { reason: ipcErrorText(change.errorCode) });
    case 'drafted':
      return t('importProblems.drafted');
    default:
      return change.warning === 'landline' ? t('importPhones.landlineNote') : '';
  }
}
