import type { PhoneResult } from '../../../common/phone';

/** One slice of numbers for the phone worker: [raw text, region it is read with]. */
export interface PhoneSliceRequest {
  id: number;
  numbers: ReadonlyArray<readonly [string, string | null]>;
}
export interface PhoneSliceResponse {
  id: number;
  results: PhoneResult[];
}

/** What the import uses of a result (country and type stay behind: less to copy between threads). */
export function compactPhoneResult(result: PhoneResult): PhoneResult {
  if (!result.ok) return { ok: false, reason: result.reason };
  return result.warning === undefined ? { ok: true, e164: result.e164 } : { ok: true, e164: result.e164, warning: result.warning };
}
