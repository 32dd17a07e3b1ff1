/**
 * Portal Admin in Electron, end to end: the demo portal as its own process (exactly as `npm start`
 * runs it), the built app in the real Electron binary with a temporary profile, and the sign-in →
 * employees list flow through `window.portal` and the app:// page.
 *
 * It runs wherever the Electron binary is installed. Where it is not (these build machines cannot
 * download it), it prints why and skips; the same flow runs in Chromium through browser mode in
 * test/e2e/browser-mode.spec.ts, over the same services, gate and renderer.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type ElectronApplication } from '@playwright/test';
import type { PortalApi } from '../../common/ipc';
import { startDemoPortalProcess, type DemoPortalProcess } from '../../scripts/demo-portal';
import { findElectronBinary } from '../../scripts/electron-available';
import { firstAppWindow, launchPortalAdmin } from './support/launch-app';

interface PageGlobal {
  portal?: PortalApi;
  require?: unknown;
  process?: unknown;
  __inlineScriptRan?: boolean;
}

const binary = findElectronBinary();
const skipReason = binary.isAvailable
  ? null
  : `Skipped: ${binary.reason}, so Portal Admin cannot be launched in Electron on this machine; ` +
    'the same sign-in → employees list flow is covered by the browser-mode e2e test (test/e2e/browser-mode.spec.ts).';

/** The demo portal's outbox, read over TLS with its own certificate (what a person would read on their phone). */
function smsOutbox(portal: DemoPortalProcess): Promise<Array<{ text: string }>> {
  const ca = readFileSync(portal.certPath, 'utf8');
  return new Promise((resolve, reject) => {
    const outgoing = request(`${portal.url}/api/v1/dev/sms`, { ca }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { items: Array<{ text: string }> }).items));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

test.describe('Portal Admin in Electron', () => {
  let portal: DemoPortalProcess | undefined;
  let app: ElectronApplication | undefined;
  let profile: string | undefined;

  test.afterEach(async () => {
    await app?.close().catch(() => undefined);
    await portal?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  test('sign-in → employees list', async () => {
    if (skipReason !== null || !binary.isAvailable) {
      console.log(skipReason);
      test.skip(true, skipReason ?? 'no Electron binary');
      return;
    }
    test.setTimeout(120_000);
    profile = mkdtempSync(join(tmpdir(), 'portal-admin-electron-'));
    portal = await startDemoPortalProcess({ dataDir: join(profile, 'demo-portal'), onOutput: () => undefined });
    app = await launchPortalAdmin({ executablePath: binary.path, portalUrl: portal.url, caPath: portal.certPath, profile, isDemoPortal: true });
    const page = await firstAppWindow(app);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.waitForFunction(() => (globalThis as unknown as PageGlobal).portal !== undefined);

    // The page is our app on app://, sandboxed: no Node, and the CSP stops inline script.
    expect(page.url()).toMatch(/^app:\/\/portal-admin\/index\.html(#.*)?$/);
    await expect(page.getByRole('heading', { name: 'Portal Admin' })).toBeVisible();
    expect(await page.evaluate(() => typeof (globalThis as unknown as PageGlobal).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (globalThis as unknown as PageGlobal).process)).toBe('undefined');
    await page.evaluate(() => {
      const documentLike = (globalThis as unknown as { document: { createElement(tag: string): { textContent: string }; head: { append(node: unknown): void } } }).document;
      const script = documentLike.createElement('script');
      script.textContent = 'globalThis.__inlineScriptRan = true';
      documentLike.head.append(script);
    });
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobal).__inlineScriptRan)).toBeUndefined();

    // Sign in with the demo admin: password, then the SMS code the demo portal "sent".
    const login = await page.evaluate(() => (globalThis as unknown as Required<PageGlobal>).portal.auth.startLogin({ email: 'admin@acme.test', password: 'acme-admin-demo' }));
    expect(login).toMatchObject({ ok: true, value: { step: 'second_factor_required' } });
    const before = (await smsOutbox(portal)).length;
    expect(await page.evaluate(() => (globalThis as unknown as Required<PageGlobal>).portal.auth.sendCode({ method: 'sms' }))).toMatchObject({ ok: true });
    await expect.poll(async () => (await smsOutbox(portal!)).length).toBe(before + 1);
    const code = /\b(\d{6})\b/.exec((await smsOutbox(portal))[0]?.text ?? '')?.[1];
    expect(code).toBeDefined();
    const verified = await page.evaluate((value) => (globalThis as unknown as Required<PageGlobal>).portal.auth.verifyCode({ code: value }), code!);
    expect(verified).toMatchObject({ ok: true, value: { step: 'signed_in', user: { email: 'admin@acme.test' } } });
    expect(JSON.stringify([login, verified])).not.toMatch(/acme-admin-demo|accessToken|refreshToken|challengeId/);

    // The employees list, from the portal through main.
    const list = await page.evaluate(() => (globalThis as unknown as Required<PageGlobal>).portal.employees.list({ limit: 1000 }));
    if (!list.ok) throw new Error(`employees:list failed: ${list.error.code} ${list.error.message}`);
    expect(list.value.total).toBeGreaterThan(0);
    expect(list.value.items.map((employee) => employee.email)).toContain('tech@acme.test');

    // Navigation away from the app is refused by main.
    await page.evaluate(() => {
      (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toMatch(/^app:\/\/portal-admin\/index\.html(#.*)?$/);
    expect(problems).toEqual([]);
  });
});
