import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

// Filled in by the employees work: GET /audit.
export const auditRoutes: FastifyPluginAsyncZod = async () => {};
