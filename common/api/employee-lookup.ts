import { z } from 'zod';
import { employeeIdSchema, employeeSchema, hasNoNul } from './employee';

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
