import { describe, expect, it } from 'vitest';
import { loginRequestSchema } from '../../../../common/api';
import { IPC_CHANNELS } from '../../../../common/ipc';

// The sign-in fields are declared once (common/api) and the IPC inputs are built on them: spaces
// around an email are dropped, a password keeps every character it was typed with.
describe('sign-in inputs', () => {
  const schemas = {
    'POST /auth/login': loginRequestSchema,
    'auth:start-login': IPC_CHANNELS['auth:start-login'].input,
    'offline:unlock': IPC_CHANNELS['offline:unlock'].input,
  } as const;

  for (const [name, schema] of Object.entries(schemas)) {
    it(`${name}: trims the email, never the password`, () => {
      const parsed = schema.parse({ email: '  admin@acme.test\t', password: ' pass word ' });
      expect(parsed.email).toBe('admin@acme.test');
      expect(parsed.password).toBe(' pass word ');
    });

    it(`${name}: checks the email's length after trimming, and refuses unknown fields`, () => {
      expect(schema.safeParse({ email: '  a  ', password: 'x' }).success).toBe(false);
      expect(schema.safeParse({ email: ` ${'a'.repeat(250)}@x.t `, password: 'x' }).success).toBe(true);
      expect(schema.safeParse({ email: 'admin@acme.test', password: '' }).success).toBe(false);
      expect(schema.safeParse({ email: 'admin@acme.test', password: 'x', isAdmin: true }).success).toBe(false);
    });
  }

  it('auth:start-login adds only its own choices, defaulting to off', () => {
    expect(IPC_CHANNELS['auth:start-login'].input.parse({ email: 'admin@acme.test', password: 'x' })).toEqual({ email: 'admin@acme.test', password: 'x', rememberMe: false, keepOfflineCopy: false });
  });
});
