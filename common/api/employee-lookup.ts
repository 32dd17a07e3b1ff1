import { z } from 'zod';
import { EMPLOYEE_ID_PATTERN, EMPLOYEE_TEXT_LIMITS, employeeIdSchema, employeeSchema, hasNoNul, type Employee } from './employee';

/** At most this many ids and emails together in one `POST /employees/lookup`. */
export const LOOKUP_MAX_KEYS = 500;

/**
 * `POST /employees/lookup`: the caller's company's employees with any of these ids or emails (emails
 * compared without regard to case, by `emailMatchKey`). A POST because a few hundred emails do not fit in a URL. Reads
 * only; what it answers is what `GET /employees` would show the caller for the same people.
 */
export const employeeLookupRequestSchema = z
  .strictObject({
    ids: z.array(employeeIdSchema).max(LOOKUP_MAX_KEYS).default([]),
    emails: z.array(z.string().min(1).max(254).refine(hasNoNul, 'An e-mail address cannot contain a NUL character.')).max(LOOKUP_MAX_KEYS).default([]),
  })
  .refine((lookup) => lookup.ids.length + lookup.emails.length <= LOOKUP_MAX_KEYS, {
    message: `At most ${LOOKUP_MAX_KEYS} ids and emails together.`,
  });
export type EmployeeLookupRequest = z.input<typeof employeeLookupRequestSchema>;

export const employeeLookupSchema = z.object({ items: z.array(employeeSchema) });
export type EmployeeLookup = z.infer<typeof employeeLookupSchema>;

/** What an import's check needs of an employee (its report, Apply's If-Match and an offline draft's base). */
export type LookupEmployee = Pick<Employee, 'id' | 'firstName' | 'lastName' | 'email' | 'cellPhone' | 'version'>;

/**
 * `POST /employees/lookup/columns`: the same employees as `POST /employees/lookup`, in the same order,
 * with only the fields of LookupEmployee, one array per field (item i of every array is employee i).
 * An import's check reads a few hundred of these per request: no per-employee object to write, send
 * and read. The schema documents the shape; clients read it with `readLookupColumns` (one pass, the
 * same limits as employeeSchema for these fields).
 */
export const employeeLookupColumnsSchema = z.object({
  ids: z.array(employeeIdSchema),
  firstNames: z.array(employeeSchema.shape.firstName),
  lastNames: z.array(employeeSchema.shape.lastName),
  emails: z.array(employeeSchema.shape.email),
  cellPhones: z.array(employeeSchema.shape.cellPhone),
  versions: z.array(employeeSchema.shape.version),
});
export type EmployeeLookupColumns = z.infer<typeof employeeLookupColumnsSchema>;

const isText = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;

/**
 * The employees of a `POST /employees/lookup/columns` answer (already JSON-parsed), checked in one pass
 * by the same rules as employeeLookupColumnsSchema (arrays of one length, every value of its type
 * and within its limits; other keys are ignored, as the schema strips them); null when the answer is not that.
 */
export function readLookupColumns(body: unknown): LookupEmployee[] | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const record = body as Record<string, unknown>;
  const { ids, firstNames, lastNames, emails, cellPhones, versions } = record;
  if (!Array.isArray(ids) || !Array.isArray(firstNames) || !Array.isArray(lastNames) || !Array.isArray(emails) || !Array.isArray(cellPhones) || !Array.isArray(versions)) return null;
  const count = ids.length;
  if (firstNames.length !== count || lastNames.length !== count || emails.length !== count || cellPhones.length !== count || versions.length !== count) return null;
  const employees: LookupEmployee[] = new Array<LookupEmployee>(count);
  for (let index = 0; index < count; index++) {
    const id: unknown = ids[index];
    const firstName: unknown = firstNames[index];
    const lastName: unknown = lastNames[index];
    const email: unknown = emails[index];
    const cellPhone: unknown = cellPhones[index];
    const version: unknown = versions[index];
    if (typeof id !== 'string' || !EMPLOYEE_ID_PATTERN.test(id)) return null;
    if (!isText(firstName, EMPLOYEE_TEXT_LIMITS.name) || !isText(lastName, EMPLOYEE_TEXT_LIMITS.name) || !isText(email, EMPLOYEE_TEXT_LIMITS.email)) return null;
    if (cellPhone !== null && !isText(cellPhone, EMPLOYEE_TEXT_LIMITS.cellPhone)) return null;
    if (typeof version !== 'number' || !Number.isSafeInteger(version) || version <= 0) return null;
    employees[index] = { id, firstName, lastName, email, cellPhone, version };
  }
  return employees;
}

/**
 * The only characters outside ASCII whose lower case is ASCII (checked over every code point by the
 * unit test): the Kelvin sign, whose lower case is `k`.
 */
export const LOWERS_TO_ASCII = '\u212A';

/**
 * When two emails name the same person: equal once both are lower-cased, in any script (`JÖRG@…` is
 * `jörg@…`), except that no character turns into an ASCII one by it (the Kelvin sign `K` stays apart
 * from `k`). The lookup answers by this rule on SQLite (whose NOCASE folds ASCII letters only) and on
 * PostgreSQL alike, and an import's check matches its rows by it.
 */
export function emailMatchKey(email: string): string {
  // Lower-cased in one go: Greek final sigma depends on the letters around it.
  return email.includes(LOWERS_TO_ASCII) ? email.split(LOWERS_TO_ASCII).map((part) => part.toLowerCase()).join(LOWERS_TO_ASCII) : email.toLowerCase();
}
