import type { Employee } from '../../common/api';
import { t } from '../i18n';

/**
 * What removing an employee's number means for their sign-in, from their two-factor status and
 * method: said in the confirmation before Remove number is sent.
 */
export function removalConsequence(employee: Pick<Employee, 'firstName' | 'twoFactor'>): string {
  const name = employee.firstName;
  const { status, method } = employee.twoFactor;
  if (status === 'active' && method === 'totp') return t('removeNumber.totp', { name });
  if (status === 'active') return t('removeNumber.active', { name });
  if (status === 'pending') return t('removeNumber.pending', { name });
  return t('removeNumber.notEnrolled', { name });
}
