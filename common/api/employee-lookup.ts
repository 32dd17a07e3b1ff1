import { z } from 'zod';
import { employeeIdSchema, employeeSchema } from './employee';

/** At most this many ids and emails together in one `POST /employees/lookup`. */
export const LOOKUP_MAX_KEYS = 500;

/**
 * `POST /employees/lookup`: the caller's company's employees with any of these ids or emails (emails
 * compared without regard to case). A POST because a few hundred emails do not fit in a URL. Reads
 * only; what it answers is what `GET /employees` would show the caller for the same people.
 */
export const employeeLookupRequestSchema = z
  .strictObject({
    ids: z.array(employeeIdSchema).max(LOOKUP_MAX_KEYS).default([]),
    emails: z.array(z.string().min(1).max(254)).max(LOOKUP_MAX_KEYS).default([]),
  })
  .refine((lookup) => lookup.ids.length + lookup.emails.length <= LOOKUP_MAX_KEYS, {
    message: `At most ${LOOKUP_MAX_KEYS} ids and emails together.`,
  });
export type EmployeeLookupRequest = z.input<typeof employeeLookupRequestSchema>;

export const employeeLookupSchema = z.object({ items: z.array(employeeSchema) });
export type EmployeeLookup = z.infer<typeof employeeLookupSchema>;
