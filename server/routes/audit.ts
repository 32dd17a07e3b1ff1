import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema, auditListSchema, auditQuerySchema } from '../../common/api';
import { requireUser, userOf } from '../auth/authenticate';
import { HttpError } from '../http/errors';
import { AUDIT_PAGE_LIMIT, listAudit } from '../employees/audit';
import { findEmployee } from '../employees/repository';

/**
 * GET /audit?employeeId=: the company's audit log, newest first. Administrators only: the log
 * tells who changed whose authenticator, which other roles have no need to see.
 */
export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/audit',
    {
      onRequest: requireUser,
      schema: {
        tags: ['audit'],
        security: [{ bearer: [] }],
        summary: "The company's audit of employee changes, newest first (admins only)",
        description: `At most ${AUDIT_PAGE_LIMIT} entries. Phone numbers are masked to their last 4 digits.`,
        querystring: auditQuerySchema,
        response: { 200: auditListSchema, 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema },
      },
    },
    async (request) => {
      const user = userOf(request);
      if (user.role !== 'admin') throw new HttpError(403, 'forbidden', 'Only a portal administrator may read the audit log.');
      const employeeId = request.query.employeeId ?? null;
      const items = await listAudit(app.db, user.companyId, employeeId);
      // A deleted employee's history stays readable: it is the company's (its deletion is one of its
      // entries). An id with no entries here and no employee here is unknown, or another company's.
      if (employeeId !== null && items.length === 0 && !(await findEmployee(app.db, user.companyId, employeeId))) {
        throw new HttpError(404, 'not_found', 'No such employee.');
      }
      return { items };
    },
  );
};
