import type { Employee } from '../../common/api';
import type { ChannelOutput } from '../../common/ipc/channels';
import { decodeEmployeeRows, EmployeeRowsError } from '../../common/ipc/employee-rows';
import { fail, type IpcError, type IpcResult } from '../../common/ipc/result';
import { t } from '../i18n';
import { describeError } from '../lib/errors';

const ROWS_NOT_VALID = 'rows_not_valid';

/** A page of the offline copy as the window uses it: `employees:list-offline`'s row block, decoded. */
export type OfflinePage = Omit<ChannelOutput<'employees:list-offline'>, 'rows'> & { items: Employee[] };

/**
 * The employees of an `employees:list-offline` answer, each row checked (decodeEmployeeRows). A block
 * that is not valid becomes a `storage` error, so the window handles it as a copy that could not be
 * read (the portal's list instead when it can be reached) and shows none of its rows.
 */
export function decodeOfflinePage(result: IpcResult<ChannelOutput<'employees:list-offline'>>): IpcResult<OfflinePage> {
  if (!result.ok) return result;
  const { rows, ...page } = result.value;
  try {
    return { ok: true, value: { ...page, items: decodeEmployeeRows(rows) } };
  } catch (error) {
    if (!(error instanceof EmployeeRowsError)) throw error;
    return fail('storage', `The offline copy's rows could not be read (${error.message}). None of them is shown.`, { fields: [{ field: 'rows', code: ROWS_NOT_VALID, message: error.message }] });
  }
}

/** Why a page of the offline copy could not be read, in the language shown. */
export function describeOfflineFailure(error: IpcError): string {
  return error.fields?.[0]?.code === ROWS_NOT_VALID ? t('offlineCopy.rowsNotValid') : describeError(error);
}
