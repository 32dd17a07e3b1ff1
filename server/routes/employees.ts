import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

// Filled in by the employees work: list, get, patch, batch.
export const employeeRoutes: FastifyPluginAsyncZod = async () => {};
