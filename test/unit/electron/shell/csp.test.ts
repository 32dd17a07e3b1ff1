import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_DIRECTIVES } from '../../../../electron/main/shell/csp';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((tokens) => tokens[0])
      .map((tokens) => [tokens[0]!, tokens.slice(1)]),
  );
}

describe('content security policy', () => {
  const parsed = directives(CONTENT_SECURITY_POLICY);

  it('is exactly the strict policy', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'",
    );
  });

  it('allows no eval, no inline script, no remote script anywhere', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toContain('wasm-unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-hashes');
    expect(parsed.get('script-src')).toEqual(["'self'"]);
    expect(parsed.has('script-src-elem')).toBe(false);
    expect(parsed.has('script-src-attr')).toBe(false);
    for (const sources of parsed.values()) {
      for (const source of sources) expect(source).not.toMatch(/^(https?:|ws|\*|blob:|filesystem:)/);
    }
  });

  it("allows 'unsafe-inline' only for styles (Vuetify's theme stylesheet)", () => {
    for (const [name, sources] of parsed) {
      if (sources.includes("'unsafe-inline'")) expect(name).toBe('style-src');
    }
  });

  it('locks down everything without its own directive', () => {
    expect(parsed.get('default-src')).toEqual(["'none'"]);
    for (const name of ['base-uri', 'form-action', 'frame-ancestors', 'object-src']) expect(parsed.get(name), name).toEqual(["'none'"]);
    expect(Object.isFrozen(CONTENT_SECURITY_POLICY_DIRECTIVES)).toBe(true);
  });
});
