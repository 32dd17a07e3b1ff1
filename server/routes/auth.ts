import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

// Filled in by the sign-in work: login, challenges (send, verify), refresh, logout, me.
export const authRoutes: FastifyPluginAsyncZod = async () => {};
