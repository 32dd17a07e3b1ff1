import { auditListSchema, companySettingsSchema, employeeSchema, etagOf, phoneVerificationSchema, type Employee } from '../../../common/api';
import { IpcFailure, type ChannelOutput, type ChannelParsedInput } from '../../../common/ipc';
import { phoneMessage, validatePhone } from '../../../common/phone';
import type { AuthService } from './auth';
import type { PortalClient } from '../infra/portal-client';

/**
 * Safe number changes against the portal: Verify and save (a code to the new number, then the
 * code confirms and saves), the number's history (the audit), and the company's settings.
 */
export interface NumberChangesService {
  startVerification(input: ChannelParsedInput<'verification:start'>): Promise<ChannelOutput<'verification:start'>>;
  resendVerification(input: ChannelParsedInput<'verification:resend'>): Promise<ChannelOutput<'verification:resend'>>;
  confirmVerification(input: ChannelParsedInput<'verification:confirm'>): Promise<ChannelOutput<'verification:confirm'>>;
  history(input: ChannelParsedInput<'employees:history'>): Promise<ChannelOutput<'employees:history'>>;
  companySettings(): Promise<ChannelOutput<'company:get-settings'>>;
}

export interface NumberChangesOptions {
  portal: () => PortalClient;
  auth: Pick<AuthService, 'currentUser'>;
  /** A confirmed number was saved (the offline copy follows it). */
  onSaved?: (employee: Employee) => void;
}

export const VERIFICATION_ENDED_MESSAGE = 'This code has expired or was ended (5 wrong codes end it). Send a new code.';

/** A 410 here is the verification's end, not a sign-in's: say so in its own words. */
async function verificationCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof IpcFailure && error.code === 'challenge_expired') throw new IpcFailure('challenge_expired', VERIFICATION_ENDED_MESSAGE);
    throw error;
  }
}

const path = (id: string, ...rest: string[]) => ['/employees', encodeURIComponent(id), 'phone-verifications', ...rest.map(encodeURIComponent)].join('/');

export function createNumberChangesService(options: NumberChangesOptions): NumberChangesService {
  return {
    startVerification(input) {
      const phone = validatePhone(input.cellPhone, options.auth.currentUser().company.country);
      if (!phone.ok) {
        const message = phoneMessage(phone.reason);
        return Promise.reject(new IpcFailure('validation', message, { fields: [{ field: 'cellPhone', code: phone.reason, message }] }));
      }
      return options.portal().request({
        method: 'POST',
        path: path(input.id),
        headers: { 'If-Match': etagOf(input.version) },
        body: { cellPhone: phone.e164, ...(input.method ? { method: input.method } : {}) },
        schema: phoneVerificationSchema,
      });
    },

    resendVerification(input) {
      return verificationCall(() =>
        options.portal().request({
          method: 'POST',
          path: path(input.id, input.verificationId, 'send'),
          body: input.method ? { method: input.method } : {},
          schema: phoneVerificationSchema,
        }),
      );
    },

    async confirmVerification(input) {
      const saved = await verificationCall(() =>
        options.portal().request({
          method: 'POST',
          path: path(input.id, input.verificationId, 'confirm'),
          headers: { 'If-Match': etagOf(input.version), 'Idempotency-Key': input.idempotencyKey },
          body: { code: input.code },
          schema: employeeSchema,
        }),
      );
      options.onSaved?.(saved);
      return saved;
    },

    history(input) {
      return options.portal().request({ method: 'GET', path: '/audit', query: { employeeId: input.id }, schema: auditListSchema });
    },

    companySettings() {
      return options.portal().request({ method: 'GET', path: '/company/settings', schema: companySettingsSchema });
    },
  };
}
