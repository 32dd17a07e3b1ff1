import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiErrorSchema,
  challengeSchema,
  loginRequestSchema,
  logoutRequestSchema,
  refreshRequestSchema,
  sendCodeRequestSchema,
  sendCodeResponseSchema,
  stepUpResponseSchema,
  tokenResponseSchema,
  userSchema,
  verifyCodeRequestSchema,
} from '../../common/api';
import { sessionEnded } from '../auth/auth-errors';
import { requireUser, userOf } from '../auth/authenticate';
import { challengeIdPattern, createChallenge, methodsFor, type FactorSource } from '../auth/challenges';
import { signInLocked } from '../auth/auth-errors';
import { HttpError } from '../http/errors';
import { maskPhone } from '../../common/phone';
import { startLogin } from '../auth/login';
import { rotateRefreshToken, signOut } from '../auth/refresh';
import { sendChallengeCode } from '../auth/send-code';
import { portalUserOf } from '../auth/users';
import { verifyChallenge, verifyStepUp } from '../auth/verify';

const challengeParamsSchema = z.strictObject({ id: z.string().regex(challengeIdPattern, 'not a challenge id') });

/** Error answers, documented once per status (the body is always common/api's ApiError). */
const errors = <S extends number>(...statuses: S[]) => Object.fromEntries(statuses.map((status) => [status, apiErrorSchema])) as Record<S, typeof apiErrorSchema>;

/**
 * Sign-in (password → challenge → second factor → tokens), token refresh, sign-out and /me.
 * The logic lives in server/auth/; these handlers only bind it to HTTP.
 * Dead challenges (unknown, expired, killed after 5 wrong codes, already used) answer 410.
 */
export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/auth/login',
    {
      schema: {
        summary: 'Check email and password; start a second-factor challenge (never returns a token)',
        tags: ['auth'],
        body: loginRequestSchema,
        response: { 200: challengeSchema, ...errors(400, 401, 403, 429, 503) },
      },
    },
    async (request) => startLogin(app, request.body.email, request.body.password, request.ip),
  );

  app.post(
    '/auth/challenges/:id/send',
    {
      schema: {
        summary: 'Send (or re-send) the login code by SMS or voice call',
        tags: ['auth'],
        params: challengeParamsSchema,
        body: sendCodeRequestSchema,
        response: { 200: sendCodeResponseSchema, ...errors(400, 410, 429, 502) },
      },
    },
    async (request) => sendChallengeCode(app, request.params.id, request.body.method),
  );

  app.post(
    '/auth/challenges/:id/verify',
    {
      schema: {
        summary: 'Check the second-factor code; issue access and refresh tokens',
        tags: ['auth'],
        params: challengeParamsSchema,
        body: verifyCodeRequestSchema,
        response: { 200: tokenResponseSchema, ...errors(400, 401, 403, 410, 429) },
      },
    },
    async (request) => verifyChallenge(app, request.params.id, request.body.code, request.body.method, request.ip),
  );

  app.post(
    '/auth/step-up',
    {
      preHandler: requireUser,
      schema: {
        summary: "Sudo mode: start a second-factor challenge for the caller's own session (phone changes need one within 2 h)",
        tags: ['auth'],
        security: [{ bearer: [] }],
        response: { 200: challengeSchema, ...errors(401, 403) },
      },
    },
    async (request) => {
      const user = userOf(request);
      const employee = (await app.db.get<FactorSource & { sign_in_locked_at: string | null }>(
        'SELECT cell_phone, totp_secret, two_factor_method, sign_in_locked_at FROM employees WHERE id = ?',
        user.id,
      ))!;
      if (employee.sign_in_locked_at !== null) throw signInLocked();
      const methods = methodsFor(employee);
      if (methods.length === 0) throw new HttpError(403, 'forbidden', 'This account has no second factor to confirm it with.');
      const challenge = await createChallenge(app.db, user.id, app.clock.now(), { familyId: user.familyId });
      return { challengeId: challenge.id, methods, destination: maskPhone(employee.cell_phone), expiresAt: challenge.expiresAt };
    },
  );

  app.post(
    '/auth/step-up/:id/verify',
    {
      preHandler: requireUser,
      schema: {
        summary: "Sudo mode: check the step-up code; the session's auth time becomes now",
        tags: ['auth'],
        security: [{ bearer: [] }],
        params: challengeParamsSchema,
        body: verifyCodeRequestSchema,
        response: { 200: stepUpResponseSchema, ...errors(400, 401, 403, 410, 429) },
      },
    },
    async (request) => verifyStepUp(app, userOf(request), request.params.id, request.body.code, request.body.method, request.ip),
  );

  app.post(
    '/auth/refresh',
    {
      schema: {
        summary: 'Trade a refresh token for a new pair (rotation; reuse revokes the family)',
        tags: ['auth'],
        body: refreshRequestSchema,
        response: { 200: tokenResponseSchema, ...errors(400, 401) },
      },
    },
    async (request) => rotateRefreshToken(app, request.body.refreshToken),
  );

  app.post(
    '/auth/logout',
    {
      // A bearer token, when sent, must be valid; when the access token has lapsed the client may
      // sign out with its refresh token alone.
      preHandler: async (request, reply) => {
        if (request.headers.authorization !== undefined) await requireUser(request, reply);
      },
      schema: {
        summary: "Sign out: revoke the caller's tokens server-side (bearer token, refresh token, or both)",
        tags: ['auth'],
        security: [{ bearer: [] }, {}],
        // The body may be left out entirely.
        body: logoutRequestSchema.nullish(),
        response: { 204: z.null().describe('Signed out'), ...errors(400, 401) },
      },
    },
    async (request, reply) => {
      if (!(await signOut(app, request.user, request.body?.refreshToken))) throw sessionEnded();
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      preHandler: requireUser,
      schema: {
        summary: 'The signed-in user',
        tags: ['auth'],
        security: [{ bearer: [] }],
        response: { 200: userSchema, ...errors(401) },
      },
    },
    async (request) => portalUserOf(userOf(request)),
  );
};
