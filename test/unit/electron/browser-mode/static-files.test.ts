import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRequestPath } from '../../../../electron/browser-mode/static-files';
import { SECRET_OUTSIDE_ROOT, get, startHost } from './harness';

describe('browser mode: static renderer', () => {
  let started: Awaited<ReturnType<typeof startHost>>;
  beforeAll(async () => {
    started = await startHost();
  });
  afterAll(async () => started.close());

  it('serves index.html at / with the CSP and the other security headers', async () => {
    const response = await get(started.host, '/');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<title>Portal Admin</title>');
    expect(response.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        `connect-src 'self' ws://127.0.0.1:${started.host.port}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('serves assets with their type, and client-side routes fall back to index.html', async () => {
    const asset = await get(started.host, '/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['content-security-policy']).toContain("script-src 'self'");
    const route = await get(started.host, '/employees/42?tab=audit');
    expect(route.status).toBe(200);
    expect(route.body).toContain('<title>Portal Admin</title>');
    const missingAsset = await get(started.host, '/assets/missing.js');
    expect(missingAsset.status).toBe(404);
    expect(missingAsset.headers['content-security-policy']).toBeDefined();
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/assets%5c..%5c..%5csecret.txt',
    '/index.html%00.js',
    '/%',
    '/.env',
    '/assets/./app.js',
  ])('refuses the traversal or odd path %s', async (path) => {
    const response = await get(started.host, path);
    expect(response.status).toBe(400);
    expect(response.body).not.toContain(SECRET_OUTSIDE_ROOT);
    expect(response.headers['content-security-policy']).toBeDefined();
  });

  it('does not follow a symbolic link out of the root', async () => {
    const response = await get(started.host, '/assets/link.txt');
    expect(response.status).toBe(404);
    expect(response.body).not.toContain(SECRET_OUTSIDE_ROOT);
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get(started.host, '/', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const post = await get(started.host, '/', {}, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    for (const host of [`evil.test:${started.host.port}`, `localhost:${started.host.port}`, '127.0.0.1']) {
      const response = await get(started.host, '/', { Host: host });
      expect(response.status, host).toBe(421);
      expect(response.body).not.toContain('<title>');
    }
  });

  it('resolves request targets without normalising them', () => {
    expect(resolveRequestPath('/')).toEqual({ kind: 'file', relative: 'index.html' });
    expect(resolveRequestPath('/assets/a%20b.js?x=1#y')).toEqual({ kind: 'file', relative: 'assets/a b.js' });
    expect(resolveRequestPath('//assets//app.js')).toEqual({ kind: 'file', relative: 'assets/app.js' });
    expect(resolveRequestPath('http://evil.test/').kind).toBe('refused');
    expect(resolveRequestPath('*').kind).toBe('refused');
  });
});
