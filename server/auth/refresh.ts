import type { TokenResponse } from '../../common/api';
import type { Clock } from '../clock';
import type { Queryable, Store } from '../db/store';
import { sessionEnded } from './auth-errors';
import { hashToken, issueTokenPair, revokeFamily } from './tokens';
import { loadPortalUser } from './users';

interface RefreshRow {
  family_id: string;
  employee_id: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
  family_revoked_at: string | null;
  locked: number;
}

function findRefreshToken(db: Queryable, refreshToken: string): Promise<RefreshRow | undefined> {
  return db.get<RefreshRow>(
      `SELECT r.family_id, r.employee_id, r.expires_at, r.used_at, r.revoked_at, f.revoked_at AS family_revoked_at, e.locked
         FROM refresh_tokens r
         JOIN token_families f ON f.id = r.family_id
         JOIN employees e ON e.id = r.employee_id
        WHERE r.token_hash = ?`,
      hashToken(refreshToken),
    );
}

/**
 * Rotation with reuse detection (OAuth 2.0 Security BCP §4.14.2): each refresh token works once and
 * is replaced by a new pair in the same family. Presenting one that was already used means two
 * parties hold it (a thief and the user), so the whole family is revoked and both must sign in again.
 * The new pair keeps the family's sign-in time (12-hour limit) and auth time (sudo mode).
 */
export async function rotateRefreshToken(deps: { db: Store; clock: Clock }, refreshToken: string): Promise<TokenResponse> {
  const { db } = deps;
  const now = deps.clock.now();
  const row = await findRefreshToken(db, refreshToken);
  if (!row) throw sessionEnded();
  if (row.used_at !== null) {
    await revokeFamily(db, row.family_id, now);
    throw sessionEnded();
  }
  if (row.revoked_at !== null || row.family_revoked_at !== null || row.expires_at <= now.toISOString()) throw sessionEnded();
  if (row.locked !== 0) {
    await revokeFamily(db, row.family_id, now);
    throw sessionEnded();
  }
  const tokens = await db.transaction(async (tx) => {
    const spent = await tx.run('UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL', now.toISOString(), hashToken(refreshToken));
    if (spent.changes !== 1) return null;
    return issueTokenPair(tx, row.employee_id, now, row.family_id);
  });
  if (tokens === null) {
    // Another request (on this or another instance) rotated this token first: it is reuse.
    await revokeFamily(db, row.family_id, now);
    throw sessionEnded();
  }
  return {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresIn: tokens.expiresIn,
    authTime: tokens.authTime,
    user: await loadPortalUser(db, row.employee_id),
  };
}

/**
 * Sign-out: revokes the family of the access token that called and the family of the refresh token
 * the client hands in, if it is the caller's own (a session restored from "remember me" may hold a
 * different family); another user's refresh token is ignored, not revoked.
 *
 * Without an access token (it lapsed), the refresh token alone names the session to end: whoever
 * holds it could trade it for an access token and sign out anyway, so this grants nothing more.
 * Returns false when neither names a session (401).
 */
export async function signOut(deps: { db: Store; clock: Clock }, caller: { id: string; familyId: string } | null, refreshToken: string | undefined): Promise<boolean> {
  const { db } = deps;
  const now = deps.clock.now();
  if (caller) await revokeFamily(db, caller.familyId, now);
  const row = refreshToken === undefined ? undefined : await findRefreshToken(db, refreshToken);
  if (row && (caller === null || (row.employee_id === caller.id && row.family_id !== caller.familyId))) await revokeFamily(db, row.family_id, now);
  return caller !== null || row !== undefined;
}
