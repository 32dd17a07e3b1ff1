import type { PortalUser, Role } from '../../common/api';
import type { Queryable } from '../db/store';

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

/** The columns of UserRow from `employees e JOIN companies c`. */
export const USER_COLUMNS =
  'e.id, e.email, e.first_name, e.last_name, e.role, e.company_id, c.name AS company_name, c.country AS company_country';

/** An employee as a portal user. */
export interface User {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  role: Role;
  companyId: string;
  companyName: string;
  companyCountry: string;
}

/** The signed-in caller, resolved from the bearer token. */
export interface AuthedUser extends User {
  familyId: string;
  /** When this session's second factor was last verified (ISO time). */
  authTime: string;
}

/** The one mapping from a user row to a user. */
export function userFromRow(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    role: row.role,
    companyId: row.company_id,
    companyName: row.company_name,
    companyCountry: row.company_country,
  };
}

/** The user as the API shows it (common/api userSchema). */
export function portalUserOf(user: User): PortalUser {
  return {
    id: user.id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    role: user.role,
    company: { id: user.companyId, name: user.companyName, country: user.companyCountry },
  };
}

/** The signed-in user as the API shows it, read afresh. */
export async function loadPortalUser(db: Queryable, employeeId: string): Promise<PortalUser> {
  const row = await db.get<UserRow>(`SELECT ${USER_COLUMNS} FROM employees e JOIN companies c ON c.id = e.company_id WHERE e.id = ?`, employeeId);
  if (!row) throw new Error('employee vanished during sign-in');
  return portalUserOf(userFromRow(row));
}
