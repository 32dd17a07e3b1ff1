import type { Employee } from '../api';
import { toCsv } from './cells';

/** The export's columns, in order. Their names are ones the import recognises. */
export const EMPLOYEE_EXPORT_HEADER = [
  'Employee ID',
  'First name',
  'Last name',
  'Email',
  'Role',
  '2FA status',
  'Cell phone number',
  'Version',
  'Last login',
] as const;

/** The Manage Employees export: one row per employee, the number in E.164. */
export function employeesCsv(employees: Iterable<Employee>): string {
  function* rows() {
    for (const employee of employees) {
      yield [
        employee.id,
        employee.firstName,
        employee.lastName,
        employee.email,
        employee.role,
        employee.twoFactor.status,
        employee.cellPhone,
        employee.version,
        employee.lastLoginAt,
      ];
    }
  }
  return toCsv(EMPLOYEE_EXPORT_HEADER, rows());
}

/** `employees-2026-12-06.csv` */
export function exportFileName(now: Date, prefix = 'employees'): string {
  return `${prefix}-${now.toISOString().slice(0, 10)}.csv`;
}
