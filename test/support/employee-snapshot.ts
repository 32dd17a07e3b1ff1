import { afterEach } from 'vitest';
import type { Employee, PortalUser } from '../../common/api';

/** The offline copy's tests: the signed-in admin whose copy it is, employees by id and name, and the portal's time. */
export const USER: PortalUser = { id: 'acme-0001', email: 'admin@acme.test', firstName: 'Alex', lastName: 'Morgan', role: 'admin', company: { id: 'acme', name: 'Acme', country: 'US' } };

export const T1 = '2026-12-01T10:00:00.000Z';

export const person = (id: string, lastName: string, version = 1): Employee => ({
  id,
  firstName: 'Sam',
  lastName,
  email: `${id}@acme.test`,
  role: 'sales',
  cellPhone: null,
  twoFactor: { status: 'not_enrolled', method: null },
  lastLoginAt: null,
  updatedAt: T1,
  version,
});

/** What each test opened (folders, sealers), undone after it in reverse order. */
export function useCleanups(): (() => unknown)[] {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return cleanups;
}
