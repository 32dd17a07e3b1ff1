import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserMode } from '../../../../electron/browser-mode';
import { resolveRequestPath } from '../../../../electron/browser-mode/static-files';
import { SECRET_OUTSIDE_ROOT, fakeGate, get, makeRendererDir, startHost } from './harness';

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

  it('serves the page in its first paint\'s language (?locale=, the Language setting, Accept-Language) and hides its form while signed in', async () => {
    const site = makeRendererDir();
    writeFileSync(join(site.rendererDir, 'index.html'), '<!doctype html><html lang="en"><title>English</title></html>');
    writeFileSync(join(site.rendererDir, 'index.de.html'), '<!doctype html><html lang="de"><title>Deutsch</title></html>');
    writeFileSync(join(site.rendererDir, 'index.fr.html'), '<!doctype html><html lang="fr"><title>Français</title></html>');
    let setting: string | null = null;
    let isSignedIn = false;
    const host = await startBrowserMode({ rendererDir: site.rendererDir, userDataDir: join(site.base, 'profile'), gate: fakeGate().gate, pageLocale: () => setting, isResuming: async () => isSignedIn });
    try {
      const title = async (path: string, headers: Record<string, string> = {}) => /<title>([^<]*)/.exec((await get(host, path, headers)).body)?.[1];
      expect(await title('/')).toBe('English');
      expect(await title('/', { 'Accept-Language': 'de-AT,de;q=0.9,en;q=0.8' })).toBe('Deutsch');
      expect(await title('/', { 'Accept-Language': 'it, fr;q=0.7, de;q=0.5' })).toBe('Français');
      expect(await title('/', { 'Accept-Language': 'es' })).toBe('English'); // no index.es.html in this build
      expect(await title('/?locale=de', { 'Accept-Language': 'fr' })).toBe('Deutsch');
      expect(await title('/employees/7?locale=fr')).toBe('Français'); // a client-side route is the page too
      expect(await title('/index.html?locale=de')).toBe('Deutsch');
      setting = 'fr';
      expect(await title('/', { 'Accept-Language': 'de' })).toBe('Français');
      expect(await title('/?locale=de')).toBe('Deutsch');
      expect((await get(host, '/')).body).toContain('<html lang="fr">');
      expect((await get(host, '/?resume=1')).body).toContain('<html data-resuming lang="fr">');
      isSignedIn = true;
      expect((await get(host, '/')).body).toContain('<html data-resuming lang="fr">');
      expect((await get(host, '/assets/app.js')).body).toBe('console.log("app");');
    } finally {
      await host.close();
      site.cleanup();
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
