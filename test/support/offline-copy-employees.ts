import type { Employee } from '../../common/api';

/**
 * `count` employees of one company as the offline copy holds them (the offline copy's tests and
 * `bench:offline-copy`): distinct ids, names and emails, a valid US number each.
 */
export function offlineCopyEmployees(count: number, options: { version?: number; lastLoginAt?: string | null } = {}): Employee[] {
  const { version = 1, lastLoginAt = null } = options;
  return Array.from({ length: count }, (_, index) => ({
    id: `acme-${String(index).padStart(6, '0')}`,
    firstName: 'Firstname',
    lastName: `Lastname${index}`,
    email: `first.last${index}@acme.test`,
    role: 'business',
    cellPhone: `+1212555${String(index % 10_000).padStart(4, '0')}`,
    twoFactor: { status: 'active', method: 'sms' },
    lastLoginAt,
    updatedAt: '2026-11-29T07:08:00.000Z',
    version,
  }));
}
