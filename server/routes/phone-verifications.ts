import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiErrorSchema,
  companySettingsPatchSchema,
  companySettingsSchema,
  employeeIdSchema,
  employeeSchema,
  etagOf,
  phoneVerificationConfirmSchema,
  phoneVerificationIdSchema,
  phoneVerificationRequestSchema,
  phoneVerificationResendSchema,
  phoneVerificationSchema,
} from '../../common/api';
import { requireAdmin, requireUser, userOf } from '../auth/authenticate';
import { companySettings, updateCompanySettings } from '../company/settings';
import { confirmVerification, resendVerification, startVerification } from '../verifications/phone-verifications';

const security = [{ bearer: [] }];
const tags = ['phone verification'];
const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema };
const employeeParams = z.object({ id: employeeIdSchema });
const verificationParams = z.object({ id: employeeIdSchema, verificationId: phoneVerificationIdSchema });
const writeHeaders = z.looseObject({
  'if-match': z.string().optional().describe('The ETag of the employee, e.g. "3". Required (428 without).'),
  'idempotency-key': z.string().optional().describe('A UUID; a retry with the same key and body gets the stored answer.'),
});

async function adminOnly(request: FastifyRequest): Promise<void> {
  requireAdmin(request);
}

/** Phone verifications (send a code to the new number, confirm it to save) and the company's settings. */
export const phoneVerificationRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => ({ db: app.db, clock: app.clock, dataKey: app.dataKey, sms: app.sms });

  app.post(
    '/employees/:id/phone-verifications',
    {
      onRequest: [requireUser, adminOnly],
      schema: {
        tags,
        security,
        summary: 'Send a 6-digit code to the number about to be saved (admins only)',
        description:
          'The number is checked as PATCH checks it, and If-Match must name the current version. A landline gets a voice call. ' +
          'Codes: single use, 10 minutes, 5 wrong tries, 30 s between sends, 5 sends; 5 verifications per employee an hour.',
        params: employeeParams,
        headers: writeHeaders,
        body: phoneVerificationRequestSchema,
        response: { 201: phoneVerificationSchema, ...errors, 412: apiErrorSchema, 422: apiErrorSchema, 428: apiErrorSchema, 429: apiErrorSchema },
      },
    },
    async (request, reply) => {
      const outcome = await startVerification(deps(), {
        actor: userOf(request),
        employeeId: request.params.id,
        ifMatch: request.headers['if-match'],
        cellPhone: request.body.cellPhone,
        method: request.body.method,
      });
      return reply.code(outcome.status).send(outcome.body);
    },
  );

  app.post(
    '/employees/:id/phone-verifications/:verificationId/send',
    {
      onRequest: [requireUser, adminOnly],
      schema: {
        tags,
        security,
        summary: 'Send a new code for the same verification (30 s apart, 5 in all)',
        params: verificationParams,
        body: phoneVerificationResendSchema,
        response: { 200: phoneVerificationSchema, ...errors, 410: apiErrorSchema, 429: apiErrorSchema },
      },
    },
    async (request) =>
      resendVerification(deps(), {
        actor: userOf(request),
        employeeId: request.params.id,
        verificationId: request.params.verificationId,
        method: request.body.method,
      }),
  );

  app.post(
    '/employees/:id/phone-verifications/:verificationId/confirm',
    {
      onRequest: [requireUser, adminOnly],
      schema: {
        tags,
        security,
        summary: 'Check the code and save the number as verified, in one request',
        description: 'If-Match and Idempotency-Key as PATCH /employees/{id}. 422 invalid_code with attemptsLeft; the 5th wrong code ends the verification (410).',
        params: verificationParams,
        headers: writeHeaders,
        body: phoneVerificationConfirmSchema,
        response: { 200: employeeSchema, ...errors, 409: apiErrorSchema, 410: apiErrorSchema, 412: apiErrorSchema, 422: apiErrorSchema, 428: apiErrorSchema },
      },
    },
    async (request, reply) => {
      const outcome = await confirmVerification(deps(), {
        actor: userOf(request),
        employeeId: request.params.id,
        verificationId: request.params.verificationId,
        ifMatch: request.headers['if-match'],
        idempotencyKey: request.headers['idempotency-key'],
        code: request.body.code,
        requestId: request.id,
        now: app.clock.now(),
      });
      if (outcome.status === 200 && 'version' in outcome.body) void reply.header('ETag', etagOf(outcome.body.version));
      if (outcome.replayed) void reply.header('Idempotent-Replayed', 'true');
      return reply.code(outcome.status).send(outcome.body);
    },
  );

  app.get(
    '/company/settings',
    {
      onRequest: requireUser,
      schema: { tags: ['company'], security, summary: "The caller's company's settings", response: { 200: companySettingsSchema, 401: apiErrorSchema } },
    },
    async (request) => companySettings(app.db, userOf(request).companyId),
  );

  app.patch(
    '/company/settings',
    {
      onRequest: [requireUser, adminOnly],
      schema: {
        tags: ['company'],
        security,
        summary: "Change the company's settings (admins only)",
        body: companySettingsPatchSchema,
        response: { 200: companySettingsSchema, ...errors },
      },
    },
    async (request) => updateCompanySettings(app.db, userOf(request).companyId, request.body),
  );
};
