import { z } from 'zod';
import { hasNoNul, roleSchema, twoFactorMethodSchema } from './employee';

/**
 * The sign-in fields, once for the Portal API and the IPC channels built on it (`auth:start-login`,
 * `offline:unlock`). Spaces typed or pasted around an email are not part of it, so it is trimmed
 * before its length is checked (the portal also looks the account up trimmed); a password is taken
 * exactly as typed and never trimmed: a space may be part of it.
 */
export const loginRequestSchema = z.strictObject({
  email: z.string().trim().min(3).max(254).refine(hasNoNul, 'An e-mail address cannot contain a NUL character.'),
  password: z.string().min(1).max(1024),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const challengeSchema = z.object({
  challengeId: z.string(),
  methods: z.array(twoFactorMethodSchema),
  /** Where a code goes, masked ("+1 ••• ••• 0142"); null for an authenticator app only. */
  destination: z.string().nullable(),
  expiresAt: z.string(),
});
export type Challenge = z.infer<typeof challengeSchema>;

export const sendCodeRequestSchema = z.strictObject({ method: z.enum(['sms', 'voice']) });
export const sendCodeResponseSchema = z.object({
  sent: z.literal(true),
  method: z.enum(['sms', 'voice']),
  destination: z.string(),
  /** Seconds until another code may be sent. */
  resendAfter: z.number().int().nonnegative(),
  sendsLeft: z.number().int().nonnegative(),
});

export const verifyCodeRequestSchema = z.strictObject({
  code: z.string().regex(/^\d{6}$/, 'a code is 6 digits'),
  method: twoFactorMethodSchema.optional(),
});

export const companySchema = z.object({ id: z.string(), name: z.string(), country: z.string().length(2) });
export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  role: roleSchema,
  company: companySchema,
});
export type PortalUser = z.infer<typeof userSchema>;

export const tokenResponseSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds the access token lives. */
  expiresIn: z.number().int().positive(),
  /** When this session's second factor was last verified (sign-in or step-up); a refresh keeps it. */
  authTime: z.string().optional(),
  user: userSchema,
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

export const refreshRequestSchema = z.strictObject({ refreshToken: z.string().min(1).max(512) });
export const logoutRequestSchema = z.strictObject({ refreshToken: z.string().min(1).max(512).optional() });

/** POST /auth/step-up/{id}/verify: the session's new auth time. */
export const stepUpResponseSchema = z.object({ authTime: z.string() });
