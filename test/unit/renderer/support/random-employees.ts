import type { Employee, Role } from '../../../../common/api';
import { makeEmployee } from './fake-portal';

/* Employees drawn from a seeded PRNG (see random-source.ts) for the Manage Employees index's tests. */

const FIRST = ['Ada', 'Émile', 'Zoë', 'José', 'Maria', 'Sam', 'Bea'];
const LAST = ['Smith', 'Garcia', 'Müller', 'Chen', 'Smithson', 'Lee', 'Ng', 'Adams', 'Zimmer'];
const ROLES: Role[] = ['admin', 'business', 'sales', 'tech'];
const STATUSES: Employee['twoFactor']['status'][] = ['active', 'pending', 'not_enrolled'];
/** Numbers the attention flags tell apart: a cell phone, a UK landline, none. */
const NUMBERS = ['+447700900123', '+442079460000', null];

/** An employee with names that fold (accents), every role and status, and numbers the attention flags tell apart. */
export function randomEmployee(random: () => number, id: string, version = 1): Employee {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const firstName = pick(FIRST);
  const lastName = pick(LAST);
  const status = pick(STATUSES);
  return makeEmployee({
    id,
    firstName,
    lastName,
    email: `${firstName}.${lastName}.${id}@acme.test`.toLowerCase(),
    role: pick(ROLES),
    cellPhone: pick(NUMBERS),
    twoFactor: status === 'not_enrolled' ? { status, method: null } : { status, method: 'sms' },
    version,
  });
}

