import { createHash } from 'node:crypto';
import type { ApiError } from '../../common/api';
import type { Db } from '../db/connection';
import { prepared } from './repository';

/**
 * Idempotency-Key for PATCH /employees/{id} and each batch item (the draft of
 * draft-ietf-httpapi-idempotency-key-header). Keys are scoped to the signed-in actor: one admin
 * cannot replay or block another's key. The first request with a key claims it (`in_progress`);
 * its outcome is stored with it, in the same transaction as the change it made, so a retry after
 * a lost response gets the stored answer instead of a second change.
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

export function claimKey(db: Db, actorId: string, key: string, hash: string, now: Date): Claim {
  const stamp = now.toISOString();
  return db
    .transaction((): Claim => {
      let row = prepared(
        db,
        'SELECT request_hash, state, response_status, response_body, created_at FROM idempotency_keys WHERE actor_id = ? AND key = ?',
      ).get(actorId, key) as KeyRow | undefined;
      if (row && Date.parse(row.created_at) <= now.getTime() - KEY_LIFETIME_MS) {
        prepared(db, 'DELETE FROM idempotency_keys WHERE actor_id = ? AND key = ?').run(actorId, key);
        row = undefined;
      }
      if (!row) {
        prepared(
          db,
          "INSERT INTO idempotency_keys (actor_id, key, request_hash, state, created_at) VALUES (?, ?, ?, 'in_progress', ?)",
        ).run(actorId, key, hash, stamp);
        return { kind: 'claimed' };
      }
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
        prepared(db, 'UPDATE idempotency_keys SET created_at = ? WHERE actor_id = ? AND key = ?').run(stamp, actorId, key);
        return { kind: 'claimed' };
      }
      return { kind: 'replay', response: { status: row.response_status ?? 500, body: JSON.parse(row.response_body ?? 'null') as unknown } };
    })
    .immediate();
}

/** Stores the outcome of a claimed key; call inside the transaction that made the change, if any. */
export function completeKey(db: Db, actorId: string, key: string, response: StoredResponse): void {
  prepared(
    db,
    "UPDATE idempotency_keys SET state = 'done', response_status = ?, response_body = ? WHERE actor_id = ? AND key = ?",
  ).run(response.status, JSON.stringify(response.body), actorId, key);
}

/** Gives up a claim after an unexpected failure, so a retry can run (nothing was changed). */
export function releaseKey(db: Db, actorId: string, key: string): void {
  prepared(db, "DELETE FROM idempotency_keys WHERE actor_id = ? AND key = ? AND state = 'in_progress'").run(actorId, key);
}
