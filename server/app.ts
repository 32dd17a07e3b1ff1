import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Store } from './db/store';
import type { Clock } from './clock';
import { systemClock } from './clock';
import type { SmsProvider } from './sms/provider';
import { HttpError, sendError } from './http/errors';
import { healthRoutes } from './routes/health';
import { authRoutes } from './routes/auth';
import { employeeRoutes } from './routes/employees';
import { auditRoutes } from './routes/audit';
import { devRoutes } from './routes/dev';
import type { DemoSmsProvider } from './sms/demo-provider';
import { HashingSlots } from './auth/hashing-slots';
import { registerNotifications, type NotificationOptions } from './notifications/wiring';
import { phoneVerificationRoutes } from './routes/phone-verifications';
import { devMailRoutes } from './routes/dev-mail';

export interface PortalOptions extends NotificationOptions {
  db: Store;
  sms: SmsProvider;
  /** 32 random bytes that encrypt TOTP secrets at rest. */
  dataKey: Buffer;
  clock?: Clock;
  /** Demo mode: GET /api/v1/dev/sms lists what the demo carrier "sent". */
  demoSms?: DemoSmsProvider | null;
  https?: { key: string; cert: string } | null;
  logger?: FastifyServerOptions['logger'];
  /** The bound on concurrent password hashing (a default one otherwise). */
  hashingSlots?: HashingSlots;
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Store;
    sms: SmsProvider;
    dataKey: Buffer;
    clock: Clock;
    demoSms: DemoSmsProvider | null;
    hashingSlots: HashingSlots;
  }
}

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** The reference Portal API as one Fastify instance; server/cli.ts only listens. */
export async function buildPortal(options: PortalOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.https ? { https: { key: options.https.key, cert: options.https.cert } } : {}),
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => randomUUID(),
    // Reject prototype-poisoning keys instead of silently dropping them.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    routerOptions: { ignoreTrailingSlash: true },
  });
  // The API speaks JSON only: without this, Fastify's built-in text/plain parser hands a string body
  // to validation (400) instead of refusing the media type (415).
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.decorate('db', options.db);
  app.decorate('sms', options.sms);
  app.decorate('dataKey', options.dataKey);
  app.decorate('clock', options.clock ?? systemClock);
  app.decorate('demoSms', options.demoSms ?? null);
  app.decorate('hashingSlots', options.hashingSlots ?? new HashingSlots());
  app.decorateRequest('user', null);
  registerNotifications(app, { db: options.db, clock: options.clock ?? systemClock, sms: options.sms }, options);

  app.addHook('onSend', async (request, reply, payload) => {
    void reply.header('X-Request-Id', request.id);
    void reply.header('Cache-Control', 'no-store');
    void reply.header('X-Content-Type-Options', 'nosniff');
    return payload;
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof HttpError) return sendError(reply, error.status, error.code, error.message, error.extra);
    if (hasZodFastifySchemaValidationErrors(error)) {
      // Capped: a body with 50,000 unknown keys (or one 1 MiB key) must not be echoed back in full.
      const clip = (text: string) => (text.length > 200 ? `${text.slice(0, 199)}…` : text);
      const errors = error.validation.slice(0, 20).map((issue) => ({
        field: clip(issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || String(issue.params?.['issue'] ? '' : '')),
        code: clip(String(issue.keyword)),
        message: clip(issue.message ?? 'invalid'),
      }));
      return sendError(reply, 400, 'bad_request', `The request's ${error.validationContext ?? 'body'} is not valid.`, { errors });
    }
    const status = typeof (error as { statusCode?: unknown }).statusCode === 'number' ? (error as { statusCode: number }).statusCode : 500;
    if (status === 413) return sendError(reply, 413, 'payload_too_large', 'The request body is larger than 1 MiB.');
    if (status === 415) return sendError(reply, 415, 'unsupported_media_type', 'Send the request body as application/json.');
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (bad JSON, __proto__ keys, empty body): a fixed message, never internals.
      return sendError(reply, 400, 'bad_request', 'The request is malformed.');
    }
    request.log.error({ err: { type: (error as Error).name, message: (error as Error).message } }, 'request failed');
    return sendError(reply, 500, 'server_error', 'The portal could not complete the request. Try again later.');
  });

  app.setNotFoundHandler((_request, reply) => sendError(reply, 404, 'not_found', 'No such resource.'));

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Portal API', version: '1.0.0', description: 'Reference Portal API for Portal Admin' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });

  await app.register(
    async (api) => {
      const typed = api.withTypeProvider<ZodTypeProvider>();
      await typed.register(healthRoutes);
      await typed.register(authRoutes);
      await typed.register(employeeRoutes);
      await typed.register(auditRoutes);
      await typed.register(devRoutes);
      await typed.register(phoneVerificationRoutes);
      await typed.register(devMailRoutes);
      typed.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: '/api/v1' },
  );
  return app;
}
