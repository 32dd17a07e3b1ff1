import { z } from 'zod';

export const ROLES = ['admin', 'business', 'tech', 'sales'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const TWO_FACTOR_STATUSES = ['active', 'not_enrolled', 'pending'] as const;
export const twoFactorStatusSchema = z.enum(TWO_FACTOR_STATUSES);
export const TWO_FACTOR_METHODS = ['sms', 'voice', 'totp'] as const;
export const twoFactorMethodSchema = z.enum(TWO_FACTOR_METHODS);
export type TwoFactorMethod = z.infer<typeof twoFactorMethodSchema>;

/** True when a text has no NUL character (PostgreSQL's text cannot hold one): refused alike on both backends. */
export const hasNoNul = (value: string): boolean => !value.includes('\u0000');

/** An employee id: letters, digits, `_` and `-`, 1 to 64 of them. */
export const EMPLOYEE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/**
 * The longest text each employee field holds: the schema's limits, and those of the readers that check
 * answers without zod (common/ipc/employee-rows.ts, readLookupColumns in employee-lookup.ts).
 */
export const EMPLOYEE_TEXT_LIMITS = { name: 100, email: 254, cellPhone: 32, updatedBy: 201 } as const;

export const employeeIdSchema = z.string().regex(EMPLOYEE_ID_PATTERN, 'not an employee id');
/** Full E.164 for admins; non-admins get the number masked to its last 4 digits (e.g. "•••• 0100"). */
export const cellPhoneSchema = z.string().max(EMPLOYEE_TEXT_LIMITS.cellPhone).nullable();

export const employeeSchema = z.object({
  id: employeeIdSchema,
  firstName: z.string().max(EMPLOYEE_TEXT_LIMITS.name),
  lastName: z.string().max(EMPLOYEE_TEXT_LIMITS.name),
  email: z.string().max(EMPLOYEE_TEXT_LIMITS.email),
  role: roleSchema,
  cellPhone: cellPhoneSchema,
  twoFactor: z.object({
    status: twoFactorStatusSchema,
    method: twoFactorMethodSchema.nullable(),
    /** Present (true) when too many wrong codes in a row locked the sign-in until an admin unlocks it. */
    lockedOut: z.boolean().optional(),
  }),
  lastLoginAt: z.string().nullable(),
  updatedAt: z.string(),
  version: z.number().int().positive(),
  /** The name of whoever last changed the number (null: nobody since it was created). */
  updatedBy: z.string().max(EMPLOYEE_TEXT_LIMITS.updatedBy).nullable().optional(),
  /** When the current number was last confirmed with a code sent to it (null: never). */
  phoneVerifiedAt: z.string().nullable().optional(),
});
export type Employee = z.infer<typeof employeeSchema>;

export const EMPLOYEE_SORTS = ['name', 'email', 'role', 'twoFactor', 'updatedAt'] as const;
export const employeeListQuerySchema = z.strictObject({
  q: z.string().max(200).refine(hasNoNul, 'A search cannot contain a NUL character.').optional(),
  sort: z.enum(EMPLOYEE_SORTS).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(512).optional(),
  /** ISO timestamp: only employees updated after it (delta sync). */
  changedSince: z.iso.datetime({ offset: true }).optional(),
});
export type EmployeeListQuery = z.input<typeof employeeListQuerySchema>;

export const employeeListSchema = z.object({
  items: z.array(employeeSchema),
  nextCursor: z.string().nullable(),
  total: z.number().int().nonnegative(),
  /** The portal's clock when the page was read: the next `changedSince` of a client that keeps the list. */
  asOf: z.string().optional(),
  /** With `changedSince`, on the first page: employees deleted after it (tombstones). */
  deleted: z.array(z.object({ id: employeeIdSchema, deletedAt: z.string() })).optional(),
});
export type EmployeeList = z.infer<typeof employeeListSchema>;

/**
 * The fields an admin may change. Unknown fields are refused (400). `cellPhone: null` removes the
 * number. No length limit here: the phone rules answer any over-long text as 422 `too_long`
 * (the body limit bounds it), one rule whatever the length.
 */
export const employeePatchSchema = z.strictObject({
  cellPhone: z.string().nullable(),
});
export type EmployeePatch = z.infer<typeof employeePatchSchema>;

export const idempotencyKeySchema = z.uuid();

export const BATCH_MAX_ITEMS = 100;
export const employeeBatchRequestSchema = z.strictObject({
  items: z
    .array(
      z.strictObject({
        id: employeeIdSchema,
        /** The version the change was made against, as in If-Match: `"<version>"`. */
        ifMatch: z.string().max(32),
        idempotencyKey: idempotencyKeySchema,
        patch: employeePatchSchema,
      }),
    )
    .min(1)
    .max(BATCH_MAX_ITEMS),
});
export type EmployeeBatchRequest = z.infer<typeof employeeBatchRequestSchema>;

export const employeeBatchResponseSchema = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      idempotencyKey: z.string(),
      /** The HTTP status the same PATCH would have had. */
      status: z.number().int(),
      /** The employee (2xx), or the error body (4xx/5xx, a 412 carries `current`). */
      body: z.unknown(),
    }),
  ),
});
export type EmployeeBatchResponse = z.infer<typeof employeeBatchResponseSchema>;

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.object({ id: z.string(), email: z.string(), name: z.string().nullable().optional() }),
  employeeId: z.string(),
  field: z.string(),
  oldValue: z.string().nullable(),
  newValue: z.string().nullable(),
  requestId: z.string(),
  /** Whether the new number was confirmed with a code sent to it (null: recorded before verification existed). */
  verified: z.boolean().nullable().optional(),
  /** True once every notice of this change (text to the old number, email) was delivered. */
  notified: z.boolean().optional(),
  notifications: z
    .array(z.object({ channel: z.enum(['sms', 'voice', 'email']), state: z.enum(['pending', 'sending', 'sent', 'failed']) }))
    .optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditListSchema = z.object({ items: z.array(auditEntrySchema) });
export const auditQuerySchema = z.strictObject({ employeeId: employeeIdSchema.optional() });

/** Strong ETag of an employee version. */
export function etagOf(version: number): string {
  return `"${version}"`;
}
/** The version named by an If-Match / ETag value, or null if it is not one of ours. */
export function versionFromEtag(value: string): number | null {
  const match = /^"([1-9]\d{0,15})"$/.exec(value.trim());
  return match ? Number(match[1]) : null;
}
