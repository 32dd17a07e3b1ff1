import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors';
import { stepUpRequired } from './auth-errors';
import { hashToken } from './tokens';
import { USER_COLUMNS, userFromRow, type AuthedUser, type UserRow } from './users';

export type { AuthedUser } from './users';

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthedUser | null;
  }
}

interface Row extends UserRow {
  family_id: string;
  auth_time: string;
}

/** preHandler for every route that needs a signed-in caller: 401 `unauthenticated` otherwise. */
export async function requireUser(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const header = request.headers.authorization;
  const match = header ? /^Bearer ([A-Za-z0-9_-]{20,128})$/.exec(header) : null;
  if (!match) throw new HttpError(401, 'unauthenticated', 'Sign in first.');
  const now = request.server.clock.now().toISOString();
  const row = await request.server.db.get<Row>(
    `SELECT ${USER_COLUMNS}, t.family_id, coalesce(f.auth_time, f.created_at) AS auth_time
       FROM access_tokens t
       JOIN token_families f ON f.id = t.family_id
       JOIN employees e ON e.id = t.employee_id
       JOIN companies c ON c.id = e.company_id
      WHERE t.token_hash = ? AND t.revoked_at IS NULL AND f.revoked_at IS NULL AND t.expires_at > ? AND e.locked = 0`,
    hashToken(match[1]!),
    now,
  );
  if (!row) throw new HttpError(401, 'unauthenticated', 'Your session has ended. Sign in again.');
  request.user = { ...userFromRow(row), familyId: row.family_id, authTime: row.auth_time };
}

/** The caller, for handlers behind requireUser. */
export function userOf(request: FastifyRequest): AuthedUser {
  if (!request.user) throw new HttpError(401, 'unauthenticated', 'Sign in first.');
  return request.user;
}

export function requireAdmin(request: FastifyRequest): AuthedUser {
  const user = userOf(request);
  if (user.role !== 'admin') throw new HttpError(403, 'forbidden', 'Only a portal administrator may change employees.');
  return user;
}

/**
 * Sudo mode (as GitHub does for sensitive settings): a phone change needs a second factor verified
 * within the last STEP_UP_WINDOW_SECONDS. A refresh keeps the sign-in's time, so only a new code
 * (POST /auth/step-up) renews it.
 */
export const STEP_UP_WINDOW_SECONDS = 2 * 60 * 60;

export function requireRecentSecondFactor(request: FastifyRequest): AuthedUser {
  const user = userOf(request);
  const age = request.server.clock.now().getTime() - new Date(user.authTime).getTime();
  if (!(age < STEP_UP_WINDOW_SECONDS * 1000)) throw stepUpRequired();
  return user;
}
