import type { Employee, Role } from '../../common/api';
import { maskPhone } from '../../common/phone';

/** An employees row as the routes read it (sign-in columns such as password_hash are never selected). */
export interface EmployeeRow {
  id: string;
  company_id: string;
  first_name: string;
  last_name: string;
  email: string;
  role: Role;
  cell_phone: string | null;
  two_factor_status: Employee['twoFactor']['status'];
  two_factor_method: Employee['twoFactor']['method'];
  last_login_at: string | null;
  updated_at: string;
  version: number;
  sign_in_locked_at: string | null;
  /** Who last changed the number (their name at the time); null before anyone did. */
  updated_by: string | null;
  /** When the current number was last confirmed with a code sent to it; null: never. */
  phone_verified_at: string | null;
}

/** The columns of EmployeeRow, for SELECT and RETURNING. */
export const EMPLOYEE_COLUMNS =
  'id, company_id, first_name, last_name, email, role, cell_phone, two_factor_status, two_factor_method, last_login_at, updated_at, version, sign_in_locked_at, updated_by, phone_verified_at';

export interface Viewer {
  role: Role;
}

/** Only administrators see full numbers; everyone else sees the last four digits (`•••• 0142`). */
export function seesFullPhones(viewer: Viewer): boolean {
  return viewer.role === 'admin';
}

export function toEmployee(row: EmployeeRow, viewer: Viewer): Employee {
  return {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    role: row.role,
    cellPhone: seesFullPhones(viewer) ? row.cell_phone : maskPhone(row.cell_phone),
    twoFactor: {
      status: row.two_factor_status,
      method: row.two_factor_method,
      ...(row.sign_in_locked_at !== null ? { lockedOut: true } : {}),
    },
    lastLoginAt: row.last_login_at,
    updatedAt: row.updated_at,
    version: row.version,
    updatedBy: row.updated_by,
    phoneVerifiedAt: row.phone_verified_at,
  };
}

/** `employees.search_text`: lower-case "first last email phone-digits", what `?q=` searches. */
export function searchTextOf(fields: { firstName: string; lastName: string; email: string; cellPhone: string | null }): string {
  const digits = fields.cellPhone ? fields.cellPhone.replace(/\D/g, '') : '';
  return `${fields.firstName} ${fields.lastName} ${fields.email} ${digits}`.normalize('NFKC').toLowerCase().trimEnd();
}
