import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, LOG_FILE_NAME, redact, REDACTED, rememberSecret } from '../../../../electron/main/log';

const TOKEN = 'kq3V9x1mZ0c8o7Hn2YpQ4rT6sU8wX0yA1bC3dE5fG7h';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

describe('redact', () => {
  it('removes secrets by key name, at any depth and in any case', () => {
    const out = JSON.stringify(
      redact({
        email: 'admin@acme.test',
        password: 'acme-admin-demo',
        nested: { Authorization: 'Bearer abc', refreshToken: 'r', access_token: 'a', 'x-session-token': 'b', clientSecret: 'c', cookie: 'sid=1' },
        list: [{ newPassword: 'p' }],
        code: '123456',
        challengeId: 'ch_1',
      }),
    );
    for (const secret of ['acme-admin-demo', 'Bearer abc', '"r"', '"a"', '"b"', '"c"', 'sid=1', '"p"', '123456', 'ch_1']) expect(out).not.toContain(secret);
    expect(out).toContain('admin@acme.test');
  });

  it('removes registered live secrets from any text until they are forgotten', () => {
    const forget = rememberSecret('hunter2-but-longer');
    expect(redact({ message: 'login failed for hunter2-but-longer!' })).toEqual({ message: `login failed for ${REDACTED}!` });
    forget();
    expect(redact({ message: 'hunter2-but-longer' })).toEqual({ message: 'hunter2-but-longer' });
  });

  it('keeps error codes (a `code` without digits)', () => {
    expect(redact({ code: 'offline' })).toEqual({ code: 'offline' });
    expect(redact({ code: 429 })).toEqual({ code: REDACTED });
  });

  it('removes secrets by value pattern inside free text', () => {
    const out = JSON.stringify(
      redact({
        note: `header was Bearer ${TOKEN}; jwt ${JWT}; the code is 482913; refresh ${TOKEN}`,
        key: '-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----',
        pem: 'x -----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY----- y',
      }),
    );
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain('dozjgNryP4J3');
    expect(out).not.toContain('482913');
    expect(out).not.toContain('MIIEvQ');
    expect(out).not.toContain('abc\\n');
  });

  it('keeps useful non-secrets: phone numbers, UUIDs, timestamps, ports', () => {
    const value = { phone: '+12125550142', id: '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e', at: '2026-01-15T09:00:00.000Z', url: 'https://127.0.0.1:8443' };
    expect(redact(value)).toEqual(value);
  });

  it('never walks into transport internals and survives cycles, errors and odd values', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const axiosLike = Object.assign(new Error(`Request failed with Bearer ${TOKEN}`), {
      code: 'ECONNREFUSED',
      config: { headers: { Authorization: `Bearer ${TOKEN}` } },
      request: { socket: {} },
      response: { data: { accessToken: TOKEN } },
    });
    const out = redact({ cyclic, error: axiosLike, big: 10n, fn: () => 1, sym: Symbol('s'), date: new Date(0), buffer: Buffer.from('x') });
    const text = JSON.stringify(out);
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('[circular]');
    expect(text).toContain('ECONNREFUSED');
    expect((out as { error: Record<string, unknown> }).error.config).toBeUndefined();
  });
});

describe('logger', () => {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  it('writes redacted JSON lines at or above its level', () => {
    const directory = mkdtempSync(join(tmpdir(), 'portal-admin-log-'));
    directories.push(directory);
    const lines: string[] = [];
    const log = createLogger({ directory, level: 'info', sink: (line) => lines.push(line) });
    log.debug('hidden');
    log.info('signed in', { password: 'acme-admin-demo', headers: { authorization: `Bearer ${TOKEN}` } });
    log.error(`failed with ${TOKEN}`);
    const file = readFileSync(join(directory, LOG_FILE_NAME), 'utf8');
    expect(file.trim().split('\n')).toHaveLength(2);
    expect(lines).toHaveLength(2);
    expect(file).not.toContain('acme-admin-demo');
    expect(file).not.toContain(TOKEN);
    const first = JSON.parse(file.split('\n')[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ level: 'info', message: 'signed in' });
  });

  it('rotates by size and keeps at most maxFiles files', () => {
    const directory = mkdtempSync(join(tmpdir(), 'portal-admin-log-'));
    directories.push(directory);
    const log = createLogger({ directory, level: 'info', maxFileBytes: 1024, maxFiles: 3 });
    for (let index = 0; index < 200; index++) log.info('line', { index, filler: 'x'.repeat(50) });
    const files = readdirSync(directory).sort();
    expect(files).toEqual([LOG_FILE_NAME, `${LOG_FILE_NAME}.1`, `${LOG_FILE_NAME}.2`]);
    for (const file of files) expect(readFileSync(join(directory, file)).length).toBeLessThanOrEqual(1024);
    expect(readFileSync(join(directory, LOG_FILE_NAME), 'utf8')).toContain('"index":199');
  });

  it('never throws, even when the folder cannot be written', () => {
    const directory = mkdtempSync(join(tmpdir(), 'portal-admin-log-'));
    directories.push(directory);
    const aFile = join(directory, 'a-file');
    writeFileSync(aFile, '');
    const log = createLogger({ directory: join(aFile, 'logs'), level: 'debug' });
    expect(() => log.error('x')).not.toThrow();
  });
});
