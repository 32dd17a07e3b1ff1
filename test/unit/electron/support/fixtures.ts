import type { Employee } from '../../../../common/api';

/** One employee as the portal sends it (the demo seed's technician), for tests of the layers above. */
export function sampleEmployee(patch: Partial<Employee> = {}): Employee {
  return {
    id: 'acme-0002',
    firstName: 'Sam',
    lastName: 'Rivera',
    email: 'tech@acme.test',
    role: 'tech',
    cellPhone: '+12125550143',
    twoFactor: { status: 'active', method: 'sms' },
    lastLoginAt: null,
    updatedAt: '2026-01-15T09:00:00.000Z',
    version: 3,
    ...patch,
  };
}
