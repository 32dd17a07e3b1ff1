import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const healthSchema = z.object({ status: z.enum(['ok', 'unavailable']), time: z.string(), database: z.enum(['ok', 'unreachable']) });

/** GET /health: 200 when the database answers, 503 when it does not (a load balancer takes the instance out). */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/health', { schema: { response: { 200: healthSchema, 503: healthSchema } } }, async (_request, reply) => {
    const reachable = await app.db.ping();
    const time = app.clock.now().toISOString();
    if (reachable) return { status: 'ok' as const, time, database: 'ok' as const };
    return reply.code(503).send({ status: 'unavailable' as const, time, database: 'unreachable' as const });
  });
};
