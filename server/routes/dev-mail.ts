import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError } from '../http/errors';

const mailSchema = z.object({ id: z.number(), at: z.string(), recipient: z.string(), subject: z.string(), text: z.string() });

/** Demo mode only: the emails the demo mail service "sent", newest first. 404 on a real portal. */
export const devMailRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/dev/mail',
    { schema: { hide: true, response: { 200: z.object({ items: z.array(mailSchema) }) } } },
    async () => {
      if (!app.demoMail) throw new HttpError(404, 'not_found', 'No such resource.');
      return { items: await app.demoMail.recent() };
    },
  );
};
