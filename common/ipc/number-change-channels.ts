import { z } from 'zod';
import { auditListSchema, companySettingsSchema, employeeIdSchema, employeeSchema, phoneVerificationIdSchema, phoneVerificationSchema } from '../api';

/**
 * Channels of safe number changes: verify a new number with a code before saving it, the number's
 * history, and the company's settings. Spread into IPC_CHANNELS (channels.ts).
 */
export const NUMBER_CHANGE_CHANNELS = {
  /** Sends a code to the number about to be saved (checked in main with common/phone first). */
  'verification:start': {
    input: z.strictObject({
      id: employeeIdSchema,
      version: z.number().int().positive(),
      /** The number to verify (the Edit Employee window sends E.164); main checks it with common/phone first (policy: common/phone/README.md). */
      cellPhone: z.string().max(1024),
      method: z.enum(['sms', 'voice']).optional(),
    }),
    output: phoneVerificationSchema,
  },
  'verification:resend': {
    input: z.strictObject({ id: employeeIdSchema, verificationId: phoneVerificationIdSchema, method: z.enum(['sms', 'voice']).optional() }),
    output: phoneVerificationSchema,
  },
  /** The code the employee read out: saves the number as verified (If-Match and Idempotency-Key as a save). */
  'verification:confirm': {
    input: z.strictObject({
      id: employeeIdSchema,
      verificationId: phoneVerificationIdSchema,
      version: z.number().int().positive(),
      code: z.string().regex(/^\d{6}$/, 'a code is 6 digits'),
      idempotencyKey: z.uuid(),
    }),
    output: employeeSchema,
  },
  /** The last changes of one employee's number, newest first. */
  'employees:history': { input: z.strictObject({ id: employeeIdSchema }), output: auditListSchema },
  'company:get-settings': { input: z.strictObject({}), output: companySettingsSchema },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;
