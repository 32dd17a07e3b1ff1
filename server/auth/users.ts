import type { PortalUser, Role } from '../../common/api';
import type { Db } from '../db/connection';
import type { AuthedUser } from './authenticate';

/** An employee row joined with its company, as sign-in and the token check read it. */
export interface UserRow {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  role: Role;
  company_id: string;
  company_name: string;
  company_country: string;
}

/** The signed-in user as the API shows it (common/api userSchema). */
export function loadPortalUser(db: Db, employeeId: string): PortalUser {
  const row = db
    .prepare(
      `SELECT e.id, e.email, e.first_name, e.last_name, e.role, e.company_id,
              c.name AS company_name, c.country AS company_country
         FROM employees e JOIN companies c ON c.id = e.company_id
        WHERE e.id = ?`,
    )
    .get(employeeId) as UserRow | undefined;
  if (!row) throw new Error('employee vanished during sign-in');
  return {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    role: row.role,
    company: { id: row.company_id, name: row.company_name, country: row.company_country },
  };
}

export function portalUserOf(user: AuthedUser): PortalUser {
  return {
    id: user.id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    role: user.role,
    company: { id: user.companyId, name: user.companyName, country: user.companyCountry },
  };
}
