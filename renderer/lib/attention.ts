import type { Employee } from '../../common/api';
import { isLandlineNumber } from '../../common/phone/landline';

/**
 * Why an employee is under "Needs attention": each one can keep them from signing in, or make
 * their sign-in codes hard to receive. Never verified is a filter of its own (most numbers on
 * record were never confirmed, so it would drown these).
 */
export const ATTENTION_REASONS = ['no_number', 'landline', 'not_enrolled', 'pending', 'locked_out'] as const;
export type AttentionReason = (typeof ATTENTION_REASONS)[number];

/** A stored number the phone rules warn about as a landline (about a microsecond: it runs for every row). */
export function isLandline(cellPhone: string | null): boolean {
  return cellPhone !== null && isLandlineNumber(cellPhone);
}

/** The reasons as bits (bit i = ATTENTION_REASONS[i]): 0 when nothing needs attention. */
export function attentionBits(employee: Employee): number {
  let bits = 0;
  if (employee.cellPhone === null) bits |= 1 << 0;
  else if (isLandline(employee.cellPhone)) bits |= 1 << 1;
  if (employee.twoFactor.status === 'not_enrolled') bits |= 1 << 2;
  if (employee.twoFactor.status === 'pending') bits |= 1 << 3;
  if (employee.twoFactor.lockedOut === true) bits |= 1 << 4;
  return bits;
}

export function reasonsOf(bits: number): AttentionReason[] {
  return ATTENTION_REASONS.filter((_, bit) => (bits & (1 << bit)) !== 0);
}

export function attentionReasons(employee: Employee): AttentionReason[] {
  return reasonsOf(attentionBits(employee));
}
