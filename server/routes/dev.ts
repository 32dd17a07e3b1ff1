import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError } from '../http/errors';

const messageSchema = z.object({
  id: z.number(),
  at: z.string(),
  channel: z.enum(['sms', 'voice']),
  recipient: z.string(),
  text: z.string(),
});

/** Demo mode only: the messages the demo carrier "sent", newest first. 404 on a real portal. */
export const devRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/dev/sms',
    { schema: { hide: true, response: { 200: z.object({ items: z.array(messageSchema) }) } } },
    async () => {
      if (!app.demoSms) throw new HttpError(404, 'not_found', 'No such resource.');
      return { items: await app.demoSms.recent() };
    },
  );
};
