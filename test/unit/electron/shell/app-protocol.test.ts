import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  APP_SCHEME_PRIVILEGES,
  createAppRequestHandler,
  handleAppProtocol,
  registerAppScheme,
  withMetaContentSecurityPolicy,
  type AppRequestHandler,
} from '../../../../electron/main/shell/app-protocol';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../../../../electron/main/shell/csp';

const INDEX_HTML = '<!doctype html><html><head><script type="module" src="./assets/index.js"></script></head><body><div id="app"></div></body></html>';

describe('app:// protocol', () => {
  const base = mkdtempSync(join(tmpdir(), 'app-protocol-'));
  const root = join(base, 'renderer');
  let handler: AppRequestHandler;

  beforeAll(() => {
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), INDEX_HTML);
    writeFileSync(join(root, 'assets', 'index.js'), 'console.log("app")');
    writeFileSync(join(root, 'assets', 'index.css'), 'body{}');
    writeFileSync(join(root, 'assets', 'font.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
    writeFileSync(join(root, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(root, 'assets', 'blob.bin'), 'x');
    // Outside the served folder: must never be reachable.
    writeFileSync(join(base, 'secret.txt'), 'TOP SECRET');
    symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'escape.txt'));
    handler = createAppRequestHandler({ rootDir: root });
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  const get = (url: string, method = 'GET') => handler({ url, method });

  it('registers the scheme as standard, secure, fetch-capable and code-cached, and nothing more', () => {
    const protocol = { registerSchemesAsPrivileged: vi.fn() };
    registerAppScheme(protocol);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledExactlyOnceWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('bypassCSP');
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('corsEnabled');
  });

  it('installs its handler for the app scheme only', async () => {
    const protocol = { handle: vi.fn() };
    handleAppProtocol(protocol, { rootDir: root });
    expect(protocol.handle).toHaveBeenCalledOnce();
    const [scheme, installed] = protocol.handle.mock.calls[0] as [string, (request: Request) => Promise<Response>];
    expect(scheme).toBe('app');
    const response = await installed(new Request('app://portal-admin/index.html'));
    expect(response.status).toBe(200);
  });

  it('serves index.html with the CSP header and the right MIME type', async () => {
    for (const url of ['app://portal-admin/index.html', 'app://portal-admin/', 'app://portal-admin']) {
      const response = await get(url);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await response.text()).toBe(withMetaContentSecurityPolicy(INDEX_HTML));
    }
  });

  it('also writes the policy into index.html as the first element of <head>', async () => {
    const html = await (await get('app://portal-admin/index.html')).text();
    const head = html.slice(html.indexOf('<head>') + '<head>'.length).trimStart();
    expect(head.startsWith(`<meta http-equiv="Content-Security-Policy" content="${META_CONTENT_SECURITY_POLICY}">`)).toBe(true);
    expect(html.indexOf('http-equiv')).toBeLessThan(html.indexOf('<script'));
    expect(META_CONTENT_SECURITY_POLICY).not.toContain('frame-ancestors');
    for (const directive of META_CONTENT_SECURITY_POLICY.split('; ')) expect(CONTENT_SECURITY_POLICY).toContain(directive);
    expect(withMetaContentSecurityPolicy('<p>no head</p>')).toBe('<p>no head</p>');
    expect(withMetaContentSecurityPolicy('<HEAD lang="en"><title>x</title>')).toMatch(/^<HEAD lang="en">\n {4}<meta http-equiv/);
  });

  it('serves the page in the language ?locale= names (its own index.<locale>.html), English otherwise, and hides its form while resuming', async () => {
    const pages = join(base, 'pages');
    mkdirSync(pages);
    writeFileSync(join(pages, 'index.html'), '<!doctype html><html lang="en"><head></head><body>English</body></html>');
    writeFileSync(join(pages, 'index.de.html'), '<!doctype html><html lang="de"><head></head><body>Deutsch</body></html>');
    let isSignedIn: boolean | Error = false;
    let asked = 0;
    const isResuming = async () => {
      asked++;
      if (isSignedIn instanceof Error) throw isSignedIn;
      return isSignedIn;
    };
    const serve = createAppRequestHandler({ rootDir: pages, isResuming });
    const page = async (url: string) => (await serve({ url, method: 'GET' })).text();
    expect(await page('app://portal-admin/index.html?locale=de')).toContain('<html lang="de"><head>');
    expect(await page('app://portal-admin/?locale=de')).toContain('Deutsch');
    expect(await page('app://portal-admin/index.html?locale=fr')).toContain('English'); // a language without its own page (an older build)
    expect(await page('app://portal-admin/index.html?locale=xx')).toContain('English');
    expect(await page('app://portal-admin/index.html')).toContain('<html lang="en">');
    expect(await page('app://portal-admin/index.html?locale=de&resume=1')).toContain('<html data-resuming lang="de">');
    isSignedIn = true;
    expect(await page('app://portal-admin/index.html')).toContain('<html data-resuming lang="en">');
    // Asked once per page, not with `resume=1` and not for an asset.
    expect(asked).toBe(6);
    writeFileSync(join(pages, 'app.js'), 'export {};');
    expect(await page('app://portal-admin/app.js')).toBe('export {};');
    expect(asked).toBe(6);
    isSignedIn = new Error('services gone'); // a failed question serves the page as for nobody signed in
    expect(await page('app://portal-admin/index.html')).toContain('<html lang="en">');
  });

  it('serves assets with their MIME types (module scripts need text/javascript)', async () => {
    const expected: Record<string, string> = {
      'assets/index.js': 'text/javascript; charset=utf-8',
      'assets/index.css': 'text/css; charset=utf-8',
      'assets/font.woff2': 'font/woff2',
      'assets/logo.svg': 'image/svg+xml',
      'assets/blob.bin': 'application/octet-stream',
    };
    for (const [path, type] of Object.entries(expected)) {
      const response = await get(`app://portal-admin/${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toBe(type);
      expect(response.headers.get('content-security-policy'), path).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('app://portal-admin/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await get('app://portal-admin/index.html', 'POST');
    expect(post.status).toBe(405);
  });

  it.each([
    'app://portal-admin/../../etc/passwd',
    'app://portal-admin/%2e%2e/%2e%2e/etc/passwd',
    'app://portal-admin/%2E%2E/secret.txt',
    'app://portal-admin/..%2f..%2fetc%2fpasswd',
    'app://portal-admin/..%2Fsecret.txt',
    'app://portal-admin/..%5csecret.txt',
    'app://portal-admin/assets/..%5c..%5csecret.txt',
    'app://portal-admin/index.html%00.js',
    'app://portal-admin/%ZZ',
    'app://portal-admin/assets/escape.txt',
    'app://portal-admin/assets',
    'app://portal-admin/missing.js',
    'app://portal-admin//etc/passwd',
    'app://portal-admin/C:/Windows/win.ini',
    'app://portal-admin/index.html::$DATA',
  ])('refuses %s with 404', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('TOP SECRET');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it.each([
    'app://evil/index.html',
    'app://portal-admin.evil/index.html',
    'app://user@portal-admin/index.html',
    'app://portal-admin:8080/index.html',
    'https://portal-admin/index.html',
    'file:///etc/passwd',
    'not a url',
  ])('refuses foreign hosts and schemes: %s', async (url) => {
    expect((await get(url)).status).toBe(404);
  });

  it('answers 404 (not a crash) when the build folder does not exist', async () => {
    const missing = createAppRequestHandler({ rootDir: join(base, 'not-built') });
    expect((await missing({ url: 'app://portal-admin/index.html', method: 'GET' })).status).toBe(404);
  });
});
