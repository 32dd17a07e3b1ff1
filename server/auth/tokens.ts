import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db/connection';

export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const REFRESH_TOKEN_SECONDS = 12 * 60 * 60;

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
}

/**
 * Issues an access + refresh token pair. A sign-in starts a new family; a refresh continues one,
 * so reuse of an old refresh token can revoke everything descended from the same sign-in.
 */
export function issueTokenPair(db: Db, employeeId: string, now: Date, familyId?: string): TokenPair {
  const family = familyId ?? randomUUID();
  const accessToken = newToken();
  const refreshToken = newToken();
  const at = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();
  db.transaction(() => {
    if (!familyId) {
      db.prepare('INSERT INTO token_families (id, employee_id, created_at) VALUES (?, ?, ?)').run(family, employeeId, now.toISOString());
    }
    db.prepare('INSERT INTO access_tokens (token_hash, family_id, employee_id, expires_at) VALUES (?, ?, ?, ?)').run(
      hashToken(accessToken), family, employeeId, at(ACCESS_TOKEN_SECONDS));
    db.prepare('INSERT INTO refresh_tokens (token_hash, family_id, employee_id, expires_at) VALUES (?, ?, ?, ?)').run(
      hashToken(refreshToken), family, employeeId, at(REFRESH_TOKEN_SECONDS));
  })();
  return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_SECONDS, familyId: family };
}

/** Revokes a whole family: its access and refresh tokens stop working at once. */
export function revokeFamily(db: Db, familyId: string, now: Date): void {
  const stamp = now.toISOString();
  db.transaction(() => {
    db.prepare('UPDATE token_families SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?').run(stamp, familyId);
    db.prepare('UPDATE access_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE family_id = ?').run(stamp, familyId);
    db.prepare('UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE family_id = ?').run(stamp, familyId);
  })();
}
