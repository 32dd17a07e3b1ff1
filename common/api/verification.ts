import { z } from 'zod';

/** POST /employees/{id}/phone-verifications: send a code to the number about to be saved. */
export const phoneVerificationRequestSchema = z.strictObject({
  cellPhone: z.string().max(1024),
  /** Defaults to sms; a landline always gets a voice call. */
  method: z.enum(['sms', 'voice']).optional(),
});
export type PhoneVerificationRequest = z.infer<typeof phoneVerificationRequestSchema>;

export const phoneVerificationIdSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a verification id');

export const phoneVerificationSchema = z.object({
  id: phoneVerificationIdSchema,
  /** The number the code went to, in E.164 (what confirming will save). */
  cellPhone: z.string(),
  method: z.enum(['sms', 'voice']),
  /** When the code stops working. */
  expiresAt: z.string(),
  /** Seconds until another code may be sent. */
  resendAfter: z.number().int().nonnegative(),
  sendsLeft: z.number().int().nonnegative(),
});
export type PhoneVerification = z.infer<typeof phoneVerificationSchema>;

export const phoneVerificationResendSchema = z.strictObject({ method: z.enum(['sms', 'voice']).optional() });
export const phoneVerificationConfirmSchema = z.strictObject({ code: z.string().regex(/^\d{6}$/, 'a code is 6 digits') });

/** GET/PATCH /company/settings. */
export const companySettingsSchema = z.object({ requireVerifiedPhone: z.boolean() });
export type CompanySettings = z.infer<typeof companySettingsSchema>;
export const companySettingsPatchSchema = z.strictObject({ requireVerifiedPhone: z.boolean().optional() });
