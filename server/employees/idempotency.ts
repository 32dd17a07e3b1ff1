import { createHash } from 'node:crypto';
import type { ApiError } from '../../common/api';
import type { Queryable } from '../db/store';

/**
 * Idempotency-Key for PATCH /employees/{id} and each batch item (the draft of
 * draft-ietf-httpapi-idempotency-key-header). Keys are scoped to the signed-in actor: one admin
 * cannot replay or block another's key. The first request with a key claims it under the key's
 * lock; its outcome is stored with it (the key's row is written then, `done`), in the same
 * transaction as the claim and the change it made
 * (conditionalWrite in patch.ts), so a retry after a lost response gets the stored answer instead of
 * a second change, and a retry while the first is in flight waits on the key's lock for that answer.
 * A committed `in_progress` row is left only by an earlier portal version that claimed in a
 * transaction of its own; it is answered 409 until IN_PROGRESS_TIMEOUT_MS, then taken over.
 */

/** A claim older than this is taken to belong to a request that died (server crash) and may be taken over. */
export const IN_PROGRESS_TIMEOUT_MS = 60_000;
/** Stored outcomes are kept this long; after that the key may be used afresh. */
export const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Fingerprint of what a key stands for: method, path and body (and the If-Match the body was made against). */
export function requestHash(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export interface StoredResponse {
  status: number;
  body: unknown;
}

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'refused'; response: { status: 409 | 422; body: ApiError } };

interface KeyRow {
  request_hash: string;
  state: 'in_progress' | 'done';
  response_status: number | null;
  response_body: string | null;
  created_at: string;
}

/**
 * Claims a key, under the key's lock: of two requests with one key (on any instance) one claims it.
 * Call inside the transaction that makes the change and stores the outcome (the lock is held until it ends).
 */
export async function claimKey(tx: Queryable, actorId: string, key: string, hash: string, now: Date): Promise<Claim> {
  await tx.lock(`idempotency:${actorId}:${key}`);
  const row = await tx.get<KeyRow>(
    'SELECT request_hash, state, response_status, response_body, created_at FROM idempotency_keys WHERE actor_id = ? AND key = ?',
    actorId, key);
  // No row, or an expired one: the key is this request's. Its row is written once, with the
  // outcome (completeKey, in the same transaction, still under the lock): nothing outside the
  // transaction could see a row written earlier, and nothing inside it looks.
  if (!row || Date.parse(row.created_at) <= now.getTime() - KEY_LIFETIME_MS) return { kind: 'claimed' };
  if (row.request_hash !== hash) {
    return {
      kind: 'refused',
      response: {
        status: 422,
        body: {
          code: 'idempotency_key_reused',
          message: 'This Idempotency-Key was already used for a different request. Use a new key for a new change.',
        },
      },
    };
  }
  if (row.state === 'in_progress') {
    if (Date.parse(row.created_at) > now.getTime() - IN_PROGRESS_TIMEOUT_MS) {
      return {
        kind: 'refused',
        response: { status: 409, body: { code: 'in_progress', message: 'A request with this Idempotency-Key is still being processed. Retry shortly.' } },
      };
    }
    return { kind: 'claimed' };
  }
  return { kind: 'replay', response: { status: row.response_status ?? 500, body: JSON.parse(row.response_body ?? 'null') as unknown } };
}

/** A key claimed by claimKey: whose, its request's fingerprint, and the time of the claim. */
export interface ClaimedKey {
  actorId: string;
  key: string;
  hash: string;
  now: Date;
}

/**
 * Stores the outcome of a claimed key (replacing an expired or abandoned row of it); call inside the
 * transaction that claimed it and made the change, if any.
 */
export async function completeKey(db: Queryable, claimed: ClaimedKey, response: StoredResponse): Promise<void> {
  await db.run(
    `INSERT INTO idempotency_keys (actor_id, key, request_hash, state, response_status, response_body, created_at) VALUES (?, ?, ?, 'done', ?, ?, ?)
     ON CONFLICT (actor_id, key) DO UPDATE SET request_hash = excluded.request_hash, state = 'done', response_status = excluded.response_status,
       response_body = excluded.response_body, created_at = excluded.created_at`,
    claimed.actorId, claimed.key, claimed.hash, response.status, JSON.stringify(response.body), claimed.now.toISOString());
}
