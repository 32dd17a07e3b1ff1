import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: 43 characters. */
export const BRIDGE_TOKEN_BYTES = 32;
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

/** A token printed for a person to open (the start, Enter): 10 minutes. */
export const PRINTED_TOKEN_TTL_MS = 10 * 60 * 1000;
/** A page's next token (for its reload or reconnect): 1 minute; an open page gets a fresh one before that. */
export const NEXT_TOKEN_TTL_MS = 60 * 1000;

/**
 * The single-use access tokens of the browser-mode bridge. A page load spends one token on its
 * WebSocket handshake and receives the next one (for a reload or a reconnect); a spent token is
 * dead, and so is one past its time: a token copied from a terminal, a history or a process list
 * cannot be kept for later. Only SHA-256 digests are kept, so a lookup never compares the secret
 * itself character by character (no timing oracle) and a heap dump holds no live token.
 */
export interface BridgeTokens {
  /** A fresh token, valid for one handshake within `ttlMs` (10 minutes unless told). */
  issue(ttlMs?: number): string;
  /** True once for a live token, which dies with this call; false for anything else. */
  consume(token: unknown): boolean;
  /** Kills one token (a page got a newer one). */
  revoke(token: string): void;
  /** Kills every live token (the host is closing). */
  revokeAll(): void;
  readonly liveCount: number;
}

export function createBridgeTokens(options: { maxLive?: number; clock?: () => number } = {}): BridgeTokens {
  // Every successful handshake spends one token and issues one, so the live set stays small;
  // the cap only bounds what repeated `issue()` calls without handshakes could pile up.
  const maxLive = options.maxLive ?? 32;
  const clock = options.clock ?? Date.now;
  const live = new Map<string, number>(); // digest → expiry, oldest first
  const digest = (token: string): string => createHash('sha256').update(token).digest('base64url');
  function dropExpired(): void {
    const now = clock();
    for (const [key, expiresAt] of live) if (expiresAt <= now) live.delete(key);
  }

  return {
    issue(ttlMs = PRINTED_TOKEN_TTL_MS) {
      dropExpired();
      const token = randomBytes(BRIDGE_TOKEN_BYTES).toString('base64url');
      live.set(digest(token), clock() + ttlMs);
      while (live.size > maxLive) {
        const oldest = live.keys().next().value;
        if (oldest === undefined) break;
        live.delete(oldest);
      }
      return token;
    },
    consume(token) {
      if (typeof token !== 'string' || !tokenPattern.test(token)) return false;
      const key = digest(token);
      const expiresAt = live.get(key);
      if (expiresAt === undefined) return false;
      live.delete(key);
      return expiresAt > clock();
    },
    revoke(token) {
      live.delete(digest(token));
    },
    revokeAll() {
      live.clear();
    },
    get liveCount() {
      dropExpired();
      return live.size;
    },
  };
}
