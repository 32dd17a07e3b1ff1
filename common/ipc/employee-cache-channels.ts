import { z } from 'zod';
import { employeeIdSchema, employeeSchema } from '../api';

/**
 * Reopening Manage Employees from the list already loaded (spread into IPC_CHANNELS, channels.ts).
 * The renderer keeps the rows of the session; on a reopen (or after a restart, from the offline copy)
 * it shows them at once and asks main for what changed on the portal since `since` — the portal's own
 * time of the list it holds (`asOf` of the load, or of the offline copy). Main asks the portal
 * (`changedSince`, every page), brings the offline copy up to date, and answers with the delta.
 */

/** The largest delta sent to the renderer; a larger one is answered `complete: false` (load the whole list). */
export const MAX_EMPLOYEE_CHANGES = 20_000;

export const employeeChangesSchema = z.discriminatedUnion('complete', [
  z.object({
    complete: z.literal(true),
    /** Employees added or changed after `since`. */
    items: z.array(employeeSchema).max(MAX_EMPLOYEE_CHANGES),
    /** Employees deleted after `since`. */
    deleted: z.array(employeeIdSchema).max(MAX_EMPLOYEE_CHANGES),
    /** The portal's time of this delta: the next `since`. */
    asOf: z.iso.datetime({ offset: true }),
  }),
  /** The list is too old for a delta (the portal keeps deletions 30 days) or the delta is too large. */
  z.object({ complete: z.literal(false) }),
]);
export type EmployeeChanges = z.infer<typeof employeeChangesSchema>;

export const EMPLOYEE_CACHE_CHANNELS = {
  'employees:changes': {
    input: z.strictObject({ since: z.iso.datetime({ offset: true }) }),
    output: employeeChangesSchema,
  },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;
