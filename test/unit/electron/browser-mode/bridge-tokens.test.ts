import { describe, expect, it } from 'vitest';
import { createBridgeTokens, NEXT_TOKEN_TTL_MS, PRINTED_TOKEN_TTL_MS } from '../../../../electron/browser-mode/bridge-tokens';

describe('browser mode: bridge tokens', () => {
  it('issues 32 random bytes as base64url, each valid exactly once', () => {
    const tokens = createBridgeTokens();
    const first = tokens.issue();
    const second = tokens.issue();
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(first, 'base64url')).toHaveLength(32);
    expect(first).not.toBe(second);
    expect(tokens.consume(first)).toBe(true);
    expect(tokens.consume(first)).toBe(false);
    expect(tokens.consume(second)).toBe(true);
  });

  it('refuses anything that is not a live token', () => {
    const tokens = createBridgeTokens();
    const live = tokens.issue();
    for (const candidate of [undefined, null, 42, '', 'x', live.slice(1), `${live}A`, live.toUpperCase() === live ? 'A'.repeat(43) : live.toUpperCase(), { toString: () => live }]) {
      expect(tokens.consume(candidate)).toBe(false);
    }
    expect(tokens.consume(live)).toBe(true);
  });

  it('keeps a bounded number of unspent tokens, dropping the oldest', () => {
    const tokens = createBridgeTokens({ maxLive: 3 });
    const issued = [tokens.issue(), tokens.issue(), tokens.issue(), tokens.issue()];
    expect(tokens.liveCount).toBe(3);
    expect(tokens.consume(issued[0])).toBe(false);
    expect(tokens.consume(issued[3])).toBe(true);
    tokens.revokeAll();
    expect(tokens.consume(issued[1])).toBe(false);
  });
});

describe('browser mode: bridge tokens expire', () => {
  it('a printed token lives 10 minutes, a next token 1 minute, a revoked one not at all', () => {
    let now = 1_000_000;
    const tokens = createBridgeTokens({ clock: () => now });
    const printed = tokens.issue();
    const late = tokens.issue();
    const next = tokens.issue(NEXT_TOKEN_TTL_MS);
    const replaced = tokens.issue(NEXT_TOKEN_TTL_MS);
    tokens.revoke(replaced);
    expect(tokens.consume(replaced)).toBe(false);
    now += NEXT_TOKEN_TTL_MS;
    expect(tokens.consume(next)).toBe(false);
    expect(tokens.consume(printed)).toBe(true);
    now += PRINTED_TOKEN_TTL_MS - NEXT_TOKEN_TTL_MS;
    expect(tokens.consume(late)).toBe(false);
    expect(tokens.liveCount).toBe(0);
  });
});
