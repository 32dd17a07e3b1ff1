/**
 * The page is served in a language taken from the request (`?locale=`, Accept-Language), as the file
 * `index.<locale>.html` of the build. An attacker's "language" must never name another file: a locale
 * such as `/../../secret` would make `index./../../secret.html`, a file beside the renderer folder.
 * Both servers of the page are attacked: Electron's app:// handler and browser mode's host.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserMode, type BrowserModeHost } from '../../electron/browser-mode';
import { createAppRequestHandler } from '../../electron/main/shell/app-protocol';
import { fakeGate, get } from '../unit/electron/browser-mode/harness';

const SECRET = 'secret-beside-the-renderer';
const LOCALES = ['/../../secret', '/../secret', '../secret', '..%2F..%2Fsecret', '%2F..%2F..%2Fsecret', 'de/../../../secret', 'de\\..\\..\\secret', 'de%00', '*', ''];

let base: string;
let rendererDir: string;
let host: BrowserModeHost;
beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'first-paint-traversal-'));
  rendererDir = join(base, 'renderer');
  mkdirSync(join(rendererDir, 'index.de'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html lang="en"><head><title>English</title></head></html>');
  writeFileSync(join(rendererDir, 'index.de.html'), '<!doctype html><html lang="de"><head><title>Deutsch</title></head></html>');
  // Where `index.${locale}.html` would lead for the locales above.
  writeFileSync(join(base, 'secret.html'), SECRET);
  writeFileSync(join(rendererDir, 'secret.html'), SECRET);
  host = await startBrowserMode({ rendererDir, userDataDir: join(base, 'profile'), gate: fakeGate().gate, pageLocale: () => '../../secret' });
});
afterAll(async () => {
  await host.close();
  rmSync(base, { recursive: true, force: true });
});

describe('a language from the request never names another file than a page of the build', () => {
  it.each(LOCALES)('app:// with ?locale=%s serves the English page', async (locale) => {
    const serve = createAppRequestHandler({ rootDir: rendererDir });
    const response = await serve({ url: `app://portal-admin/index.html?locale=${locale}`, method: 'GET' });
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(body).not.toContain(SECRET);
    expect(body).toContain('<title>English</title>');
  });

  it.each(LOCALES)('browser mode with %s as ?locale= and as Accept-Language serves the English page', async (locale) => {
    for (const path of [`/?locale=${locale}`, `/index.html?locale=${locale}`, `/employees?locale=${locale}`]) {
      const response = await get(host, path, { 'Accept-Language': `${locale}, ${locale.replace(/%2F/gi, '/')};q=0.9` });
      expect(response.status, path).toBe(200);
      expect(response.body, path).not.toContain(SECRET);
      expect(response.body, path).toContain('<title>English</title>');
    }
  });
});
