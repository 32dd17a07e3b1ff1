import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Queryable } from '../db/store';
import { sessionEnded } from './auth-errors';

export const ACCESS_TOKEN_SECONDS = 15 * 60;
/**
 * A session (token family) lasts at most 12 hours from its sign-in, however often it is refreshed:
 * no token of a family is issued or accepted past that (the server enforces it, not the client).
 */
export const SESSION_SECONDS = 12 * 60 * 60;
export const REFRESH_TOKEN_SECONDS = SESSION_SECONDS;

/** 256 random bits, URL-safe. Only its SHA-256 is stored. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  familyId: string;
  /** When the family's second factor was last verified. */
  authTime: string;
}

/**
 * Issues an access + refresh token pair. A sign-in starts a new family; a refresh continues one,
 * so reuse of an old refresh token can revoke everything descended from the same sign-in. Neither
 * token outlives the family's 12 hours; a family past them gets nothing (401).
 */
export async function issueTokenPair(db: Queryable, employeeId: string, now: Date, familyId?: string): Promise<TokenPair> {
  const family = familyId ?? randomUUID();
  const accessToken = newToken();
  const refreshToken = newToken();
  return db.transaction(async (tx) => {
    let sessionStart = now;
    let authTime = now.toISOString();
    if (familyId) {
      const row = await tx.get<{ created_at: string; auth_time: string | null }>('SELECT created_at, auth_time FROM token_families WHERE id = ?', familyId);
      if (!row) throw sessionEnded();
      sessionStart = new Date(row.created_at);
      authTime = row.auth_time ?? row.created_at;
    } else {
      await tx.run('INSERT INTO token_families (id, employee_id, created_at, auth_time) VALUES (?, ?, ?, ?)', family, employeeId, authTime, authTime);
    }
    const sessionEnd = sessionStart.getTime() + SESSION_SECONDS * 1000;
    if (sessionEnd <= now.getTime()) throw sessionEnded();
    const at = (seconds: number) => new Date(Math.min(now.getTime() + seconds * 1000, sessionEnd)).toISOString();
    const accessExpiresAt = at(ACCESS_TOKEN_SECONDS);
    await tx.run('INSERT INTO access_tokens (token_hash, family_id, employee_id, expires_at) VALUES (?, ?, ?, ?)',
      hashToken(accessToken), family, employeeId, accessExpiresAt);
    await tx.run('INSERT INTO refresh_tokens (token_hash, family_id, employee_id, expires_at) VALUES (?, ?, ?, ?)',
      hashToken(refreshToken), family, employeeId, at(REFRESH_TOKEN_SECONDS));
    const expiresIn = Math.max(1, Math.round((new Date(accessExpiresAt).getTime() - now.getTime()) / 1000));
    return { accessToken, refreshToken, expiresIn, familyId: family, authTime };
  });
}

/** Revokes a whole family: its access and refresh tokens stop working at once. */
export async function revokeFamily(db: Queryable, familyId: string, now: Date): Promise<void> {
  const stamp = now.toISOString();
  await db.transaction(async (tx) => {
    await tx.run('UPDATE token_families SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?', stamp, familyId);
    await tx.run('UPDATE access_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE family_id = ?', stamp, familyId);
    await tx.run('UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE family_id = ?', stamp, familyId);
  });
}
