import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: 43 characters. */
export const BRIDGE_TOKEN_BYTES = 32;
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

/**
 * The single-use access tokens of the browser-mode bridge. A page load spends one token on its
 * WebSocket handshake and receives the next one (for a reload or a reconnect); a spent token is
 * dead. Only SHA-256 digests are kept, so a lookup never compares the secret itself character by
 * character (no timing oracle) and a heap dump holds no live token.
 */
export interface BridgeTokens {
  /** A fresh token, valid for one handshake. */
  issue(): string;
  /** True once for a live token, which dies with this call; false for anything else. */
  consume(token: unknown): boolean;
  /** Kills every live token (the host is closing). */
  revokeAll(): void;
  readonly liveCount: number;
}

export function createBridgeTokens(options: { maxLive?: number } = {}): BridgeTokens {
  // Every successful handshake spends one token and issues one, so the live set stays small;
  // the cap only bounds what repeated `issue()` calls without handshakes could pile up.
  const maxLive = options.maxLive ?? 32;
  const live = new Set<string>(); // digests, oldest first
  const digest = (token: string): string => createHash('sha256').update(token).digest('base64url');

  return {
    issue() {
      const token = randomBytes(BRIDGE_TOKEN_BYTES).toString('base64url');
      live.add(digest(token));
      while (live.size > maxLive) {
        const oldest = live.values().next().value;
        if (oldest === undefined) break;
        live.delete(oldest);
      }
      return token;
    },
    consume(token) {
      if (typeof token !== 'string' || !tokenPattern.test(token)) return false;
      return live.delete(digest(token));
    },
    revokeAll() {
      live.clear();
    },
    get liveCount() {
      return live.size;
    },
  };
}
