/**
 * Browser mode end to end: a real reference portal (HTTPS, port 0), the browser-mode host with the
 * real services and IPC gate in this process, and Debian's Chromium driving the served renderer.
 * Everything goes through `window.portal`, exactly as the UI will. The renderer is built on demand
 * (test/support/browser-mode.ts: only when out/renderer is missing or older than its sources).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import type { AuthState, IpcResult, PortalApi } from '../../common/ipc';
import { startTestBrowserMode, type TestBrowserMode } from '../support/browser-mode';
import { startTestPortal, type TestPortal } from '../support/portal';

/** What the page's global object holds, as seen from a test (the test's tsconfig has no DOM). */
interface PageGlobal {
  portal?: PortalApi;
  authEvents?: AuthState[];
  sessionStorage: { getItem(key: string): string | null };
}

let portal: TestPortal;
let web: TestBrowserMode;

test.beforeAll(async () => {
  portal = await startTestPortal();
  web = await startTestBrowserMode(portal);
});
test.afterAll(async () => {
  await web?.close();
  await portal?.close();
});

async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => (globalThis as unknown as PageGlobal).portal !== undefined);
}

function getState(page: Page): Promise<IpcResult<AuthState>> {
  return page.evaluate(() => (globalThis as unknown as Required<PageGlobal>).portal.auth.getState({}));
}

/** Opens a raw WebSocket from the page and reports whether it ever opened. */
function tryBridgeFrom(page: Page, url: string): Promise<{ opened: boolean; code: number }> {
  return page.evaluate(
    (target) =>
      new Promise<{ opened: boolean; code: number }>((resolve) => {
        const socket = new WebSocket(target);
        let opened = false;
        socket.onopen = () => {
          opened = true;
          socket.close();
        };
        socket.onclose = (event) => resolve({ opened, code: event.code });
      }),
    url,
  );
}

test('signs in with an SMS second factor and lists employees through window.portal', async ({ page }) => {
  // What would show the page is broken under its CSP: violations, uncaught errors, failed loads.
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });

  await openApp(page, web.host.url);
  // The app mounted: its scripts and styles ran under the CSP (whatever the UI shows first).
  await expect(page.locator('#app > *').first()).toBeVisible();
  // The token left the address bar at once; the tab keeps the next one for a reload.
  expect(page.url()).not.toContain('token=');
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobal).sessionStorage.getItem('portal-admin:bridge-token'))).toMatch(/^[A-Za-z0-9_-]{43}$/);

  expect(await getState(page)).toMatchObject({ ok: true, value: { signedIn: false, portalUrl: portal.url } });
  await page.evaluate(() => {
    const global = globalThis as unknown as Required<PageGlobal>;
    global.authEvents = [];
    global.portal.events.onAuthStateChanged((state) => global.authEvents.push(state));
  });

  const login = await page.evaluate(() =>
    (globalThis as unknown as Required<PageGlobal>).portal.auth.startLogin({ email: 'admin@acme.test', password: 'acme-admin-demo' }),
  );
  expect(login).toMatchObject({ ok: true, value: { step: 'second_factor_required' } });
  if (!login.ok || login.value.step !== 'second_factor_required') throw new Error('no second factor step');
  expect(login.value.methods).toContain('sms');

  const smsBefore = portal.app.demoSms?.list().length ?? 0;
  const sent = await page.evaluate(() => (globalThis as unknown as Required<PageGlobal>).portal.auth.sendCode({ method: 'sms' }));
  expect(sent).toMatchObject({ ok: true });
  const messages = portal.app.demoSms?.list() ?? [];
  expect(messages.length).toBe(smsBefore + 1);
  const code = /\b(\d{6})\b/.exec(messages[0]?.text ?? '')?.[1];
  expect(code).toBeDefined();

  const verified = await page.evaluate((value) => (globalThis as unknown as Required<PageGlobal>).portal.auth.verifyCode({ code: value }), code!);
  expect(verified).toMatchObject({ ok: true, value: { step: 'signed_in', user: { email: 'admin@acme.test' } } });
  // Nothing secret crossed the bridge: no token, no challenge id, no password in the answers.
  expect(JSON.stringify([login, sent, verified])).not.toMatch(/acme-admin-demo|accessToken|refreshToken|challengeId/);

  const list = await page.evaluate(() => (globalThis as unknown as Required<PageGlobal>).portal.employees.list({ limit: 1000 }));
  if (!list.ok) throw new Error(`employees:list failed: ${list.error.code} ${list.error.message}`);
  expect(list.value.total).toBeGreaterThan(0);
  expect(list.value.items.map((employee) => employee.email)).toContain('tech@acme.test');
  expect(list.value.items.find((employee) => employee.email === 'tech@acme.test')).toMatchObject({ firstName: 'Sam', lastName: 'Rivera' });
  // The portal's company isolation holds through the bridge.
  expect(list.value.items.some((employee) => employee.email.endsWith('@globex.test'))).toBe(false);

  // A dropped socket reconnects with the tab's next token; the session lives on in main.
  expect(web.host.dropConnections()).toBe(1);
  await expect.poll(async () => (await getState(page)).ok, { timeout: 10_000 }).toBe(true);
  expect(await getState(page)).toMatchObject({ ok: true, value: { signedIn: true } });

  // A reload spends the token kept in sessionStorage, and events arrive over the bridge.
  await page.reload();
  await page.waitForFunction(() => (globalThis as unknown as PageGlobal).portal !== undefined);
  expect(await getState(page)).toMatchObject({ ok: true, value: { signedIn: true, user: { email: 'admin@acme.test' } } });
  await page.evaluate(() => {
    const global = globalThis as unknown as Required<PageGlobal>;
    global.authEvents = [];
    global.portal.events.onAuthStateChanged((state) => global.authEvents.push(state));
  });
  const signedOut = await page.evaluate(() => (globalThis as unknown as Required<PageGlobal>).portal.auth.signOut({}));
  expect(signedOut).toMatchObject({ ok: true, value: { revokedOnPortal: true } });
  await expect
    .poll(() => page.evaluate(() => (globalThis as unknown as Required<PageGlobal>).authEvents.some((state) => !state.signedIn)))
    .toBe(true);

  expect(problems).toEqual([]);
});

test('a page without a token, with a wrong token or with a spent token is refused', async ({ browser }) => {
  const cases: Array<[string, string, RegExp]> = [
    ['missing', `${web.host.origin}/`, /access token missing/],
    ['wrong', `${web.host.origin}/#token=${'A'.repeat(43)}`, /access token wrong or already used/],
    ['garbage', `${web.host.origin}/#token=%3Cscript%3E`, /access token wrong or already used/],
  ];
  const context = await browser.newContext();
  const spent = web.host.newPageUrl();
  const firstPage = await context.newPage();
  await openApp(firstPage, spent);
  expect(await getState(firstPage)).toMatchObject({ ok: true });
  cases.push(['spent', spent, /access token wrong or already used/]);

  for (const [name, url, reason] of cases) {
    // A new tab starts with an empty sessionStorage: no token carried over from another page.
    const page = await context.newPage();
    await openApp(page, url);
    const state = await getState(page);
    expect(state, name).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    if (!state.ok) expect(state.error.message, name).toMatch(reason);
    await page.close();
  }
  await context.close();
});

test('calls answer offline while the host is gone, and nothing hangs', async ({ page }) => {
  const second = await startTestBrowserMode(portal);
  try {
    await openApp(page, second.host.url);
    expect(await getState(page)).toMatchObject({ ok: true });
  } finally {
    await second.close();
  }
  // The socket closed with 1001: the page keeps trying to reconnect; meanwhile calls fail fast.
  await expect.poll(async () => {
    const state = await getState(page);
    return state.ok ? 'ok' : state.error.code;
  }).toBe('offline');
});

test.describe('foreign pages', () => {
  let foreign: Server;
  let foreignPort: number;
  test.beforeAll(async () => {
    foreign = createServer((_request, response) => response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'));
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    foreignPort = (foreign.address() as AddressInfo).port;
  });
  test.afterAll(async () => {
    await new Promise<void>((resolve) => foreign.close(() => resolve()));
  });

  test('a WebSocket from a foreign Origin is refused before it opens', async ({ page }) => {
    await page.goto(`http://127.0.0.1:${foreignPort}/`);
    expect(await tryBridgeFrom(page, `ws://127.0.0.1:${web.host.port}/bridge`)).toEqual({ opened: false, code: 1006 });
  });

  test('a DNS-rebinding page (evil.test resolved to 127.0.0.1) gets neither the app nor the bridge', async ({ playwright, launchOptions }) => {
    const browser = await playwright.chromium.launch({ ...launchOptions, args: [...(launchOptions.args ?? []), '--host-resolver-rules=MAP evil.test 127.0.0.1'] });
    try {
      const page = await browser.newPage();
      const response = await page.goto(`http://evil.test:${web.host.port}/`);
      expect(response?.status()).toBe(421);
      await page.goto(`http://evil.test:${foreignPort}/`);
      expect(await tryBridgeFrom(page, `ws://evil.test:${web.host.port}/bridge`)).toEqual({ opened: false, code: 1006 });
    } finally {
      await browser.close();
    }
  });
});
