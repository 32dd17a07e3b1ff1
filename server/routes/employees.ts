import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiErrorSchema,
  employeeBatchRequestSchema,
  employeeBatchResponseSchema,
  employeeIdSchema,
  employeeListQuerySchema,
  employeeListSchema,
  employeeLookupColumnsSchema,
  employeeLookupRequestSchema,
  employeeLookupSchema,
  employeePatchSchema,
  employeeSchema,
  etagOf,
  type EmployeeLookupColumns,
} from '../../common/api';
import { requireAdmin, requireRecentSecondFactor, requireUser, userOf } from '../auth/authenticate';
import { unlockSignIn } from '../employees/unlock';
import { HttpError } from '../http/errors';
import { listEmployees } from '../employees/list';
import { lookupEmployeeColumnsJson, lookupEmployees } from '../employees/lookup';
import { patchEmployee, WriteBatch, type PatchOutcome } from '../employees/patch';
import { findEmployee } from '../employees/repository';
import { toEmployee } from '../employees/serialize';
import { deleteEmployee, TOMBSTONE_RETENTION_DAYS } from '../employees/tombstones';

const params = z.object({ id: employeeIdSchema });
const security = [{ bearer: [] }];
const tags = ['employees'];
const errors = { 400: apiErrorSchema, 401: apiErrorSchema };

/** Runs before the body is parsed: a caller who may not write never gets a 1 MiB body read for them. */
async function adminOnly(request: FastifyRequest): Promise<void> {
  requireAdmin(request);
}

/** Sudo mode for writes: after adminOnly, before the body is read (401 step_up_required). */
async function recentSecondFactor(request: FastifyRequest): Promise<void> {
  requireRecentSecondFactor(request);
}

const patchHeaders = z.looseObject({
  'if-match': z.string().optional().describe('The ETag of the employee the change was made against, e.g. "3". Required (428 without).'),
  'idempotency-key': z.string().optional().describe('A UUID; a retry with the same key and body gets the stored answer.'),
});

function send(reply: FastifyReply, outcome: PatchOutcome): FastifyReply {
  if (outcome.status === 200 && 'version' in outcome.body) void reply.header('ETag', etagOf(outcome.body.version));
  if (outcome.replayed) void reply.header('Idempotent-Replayed', 'true');
  return reply.code(outcome.status).send(outcome.body);
}

/** GET /employees, POST /employees/lookup (and /lookup/columns), GET /employees/{id}, PATCH /employees/{id}, DELETE /employees/{id}, POST /employees/batch. */
export const employeeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/employees',
    {
      onRequest: requireUser,
      schema: {
        tags,
        security,
        summary: "List the caller's company's employees",
        description:
          'Keyset-paginated (pass nextCursor back as cursor with the same sort and order). `q` matches name and email words; ' +
          'digits match the phone number (non-admins: only the last 4 digits they can see). Non-admins get numbers masked to the last 4 digits. ' +
          '`changedSince`: only employees updated after it, and on the first page `deleted` (employees deleted after it); ' +
          `410 changed_since_expired when it is older than the ${TOMBSTONE_RETENTION_DAYS} days deletions are kept. \`asOf\` is the portal's time of the page.`,
        querystring: employeeListQuerySchema,
        response: { 200: employeeListSchema, ...errors, 410: apiErrorSchema },
      },
    },
    async (request) => listEmployees(app.db, userOf(request), request.query, app.clock.now()),
  );

  app.post(
    '/employees/lookup',
    {
      onRequest: requireUser,
      schema: {
        tags,
        security,
        summary: "The caller's company's employees with any of these ids or emails",
        description:
          'At most 500 ids and emails together; emails compare without regard to case. Reads only (a POST because a few hundred ' +
          'emails do not fit in a URL). Answers what GET /employees would show the caller for the same employees, ordered by id.',
        body: employeeLookupRequestSchema,
        response: { 200: employeeLookupSchema, ...errors },
      },
    },
    async (request) => lookupEmployees(app.db, userOf(request), request.body),
  );

  app.post(
    '/employees/lookup/columns',
    {
      onRequest: requireUser,
      schema: {
        tags,
        security,
        summary: 'The same as POST /employees/lookup, only the fields an import checks, one array per field',
        description:
          'The employees POST /employees/lookup answers, in the same order, as `ids`, `firstNames`, `lastNames`, `emails`, `cellPhones` ' +
          '(masked for non-admins) and `versions`: item i of every array is employee i. What an import reads to check a file.',
        body: employeeLookupRequestSchema,
        response: { 200: employeeLookupColumnsSchema, ...errors },
      },
    },
    async (request, reply) => {
      const json = await lookupEmployeeColumnsJson(app.db, userOf(request), request.body);
      // The text of an EmployeeLookupColumns: Fastify sends a string with a JSON content type as it is,
      // without the response schema's per-employee check (the schema documents the answer).
      return reply.type('application/json; charset=utf-8').send(json as unknown as EmployeeLookupColumns);
    },
  );

  app.get(
    '/employees/:id',
    {
      onRequest: requireUser,
      schema: {
        tags,
        security,
        summary: 'One employee, with a strong ETag of its version',
        params,
        response: { 200: employeeSchema, ...errors, 404: apiErrorSchema },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const row = await findEmployee(app.db, user.companyId, request.params.id);
      if (!row) throw new HttpError(404, 'not_found', 'No such employee.');
      void reply.header('ETag', etagOf(row.version));
      return toEmployee(row, user);
    },
  );

  app.patch(
    '/employees/:id',
    {
      onRequest: [requireUser, adminOnly, recentSecondFactor],
      schema: {
        tags,
        security,
        summary: "Change an employee's cell phone number (admins only)",
        description:
          'Needs a second factor verified within the last 2 hours (401 step_up_required otherwise; POST /auth/step-up). ' +
          'If-Match is required (428 without; 412 with `current` when stale). Idempotency-Key (UUID) is honoured. ' +
          'Setting the same number again changes nothing (same version, no audit entry).',
        params,
        headers: patchHeaders,
        body: employeePatchSchema,
        response: {
          200: employeeSchema,
          ...errors,
          403: apiErrorSchema,
          404: apiErrorSchema,
          409: apiErrorSchema,
          412: apiErrorSchema,
          413: apiErrorSchema,
          415: apiErrorSchema,
          422: apiErrorSchema,
          428: apiErrorSchema,
        },
      },
    },
    async (request, reply) =>
      send(
        reply,
        await patchEmployee(app.db, {
          actor: userOf(request),
          employeeId: request.params.id,
          ifMatch: request.headers['if-match'],
          idempotencyKey: request.headers['idempotency-key'],
          patch: request.body,
          requestId: request.id,
          now: app.clock.now(),
        }),
      ),
  );

  app.post(
    '/employees/batch',
    {
      onRequest: [requireUser, adminOnly, recentSecondFactor],
      schema: {
        tags,
        security,
        summary: 'Apply up to 100 changes, each with its own If-Match and Idempotency-Key (admins only)',
        description: 'Items run in order, each exactly as PATCH /employees/{id} would; each result carries the status and body that PATCH would have answered.',
        body: employeeBatchRequestSchema,
        response: { 200: employeeBatchResponseSchema, ...errors, 403: apiErrorSchema, 413: apiErrorSchema, 415: apiErrorSchema },
      },
    },
    async (request) => {
      const actor = userOf(request);
      // One outer transaction (each item is a savepoint inside it): one durable commit for the
      // whole batch instead of two per item, and an unexpected failure leaves nothing half-applied
      // (the client retries the batch with the same keys). The items' audit rows and notices are
      // written together at its end (WriteBatch).
      const results = await app.db.transaction(async (tx) => {
        const batch = new WriteBatch();
        const answers = [];
        for (const item of request.body.items) {
          const outcome = await patchEmployee(tx, {
            actor,
            employeeId: item.id,
            ifMatch: item.ifMatch,
            idempotencyKey: item.idempotencyKey,
            patch: item.patch,
            requestId: request.id,
            now: app.clock.now(),
            batch,
          });
          answers.push({ id: item.id, idempotencyKey: item.idempotencyKey, status: outcome.status, body: outcome.body });
        }
        await batch.finish(tx);
        return answers;
      });
      return { results };
    },
  );

  app.delete(
    '/employees/:id',
    {
      onRequest: [requireUser, adminOnly, recentSecondFactor],
      schema: {
        tags,
        security,
        summary: 'Delete an employee (admins only, audited; not your own account)',
        description:
          'Needs a second factor verified within the last 2 hours. The employee leaves a tombstone that `changedSince` queries return in `deleted` ' +
          `for ${TOMBSTONE_RETENTION_DAYS} days.`,
        params,
        response: { 204: z.null(), ...errors, 403: apiErrorSchema, 404: apiErrorSchema },
      },
    },
    async (request, reply) => {
      await deleteEmployee(app.db, userOf(request), request.params.id, request.id, app.clock.now());
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/employees/:id/unlock',
    {
      onRequest: [requireUser, adminOnly, recentSecondFactor],
      schema: {
        tags,
        security,
        summary: 'Unlock the sign-in of an employee locked out by 100 wrong codes in a row (admins only, audited)',
        description: 'Needs a second factor verified within the last 2 hours (401 step_up_required otherwise). Unlocking an employee who is not locked changes nothing.',
        params,
        response: { 200: employeeSchema, ...errors, 403: apiErrorSchema, 404: apiErrorSchema },
      },
    },
    async (request) => unlockSignIn(app.db, userOf(request), request.params.id, request.id, app.clock.now()),
  );
};
