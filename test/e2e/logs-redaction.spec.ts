/**
 * The logs of a full session hold no secret. A real reference portal, browser mode with the real
 * services writing their real log files into a temporary profile, and Chromium driving
 * `window.portal`: a wrong password, the right one, an SMS code sent, a wrong code, the right code,
 * the employee list, one employee read and their phone changed, sign-out. Then every file in the
 * profile's logs folder is read and searched for every secret the session handled.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { PortalApi } from '../../common/ipc';
import { startTestBrowserMode, type TestBrowserMode } from '../support/browser-mode';
import { startTestPortal, type TestPortal } from '../support/portal';


const ADMIN = { email: 'admin@acme.test', password: 'acme-admin-demo' };
const WRONG_PASSWORD = 'not-the-password-4f7c2a';

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

/** One `window.portal` call from the page, as the renderer makes it. */
function call<Domain extends Exclude<keyof PortalApi, 'events'>, Method extends keyof PortalApi[Domain]>(
  page: Page,
  domain: Domain,
  method: Method,
  input: unknown,
): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }> {
  return page.evaluate(
    ([groupName, methodName, argument]) => {
      const group = (globalThis as unknown as { portal: Record<string, Record<string, (input: unknown) => Promise<never>>> }).portal[groupName]!;
      return group[methodName]!(argument);
    },
    [domain, String(method), input] as const,
  );
}

function logFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? logFiles(path) : [path];
  });
}

/** Every substring of the logs that could be a portal token (43 base64url characters), checked against the portal's stored hashes. */
function tokensFoundIn(text: string, storedHashes: ReadonlySet<string>): number {
  let found = 0;
  for (const run of text.match(/[A-Za-z0-9_-]{43,}/g) ?? []) {
    for (let start = 0; start + 43 <= run.length; start++) {
      if (storedHashes.has(createHash('sha256').update(run.slice(start, start + 43)).digest('hex'))) found++;
    }
  }
  return found;
}

test('a whole session through window.portal leaves no password, code, challenge or token in the log files', async ({ page }) => {
  await page.goto(web.host.url);
  await page.waitForFunction(() => (globalThis as unknown as { portal?: unknown }).portal !== undefined);

  expect(await call(page, 'auth', 'startLogin', { email: ADMIN.email, password: WRONG_PASSWORD })).toMatchObject({
    ok: true,
    value: { step: 'invalid_credentials' },
  });
  expect(await call(page, 'auth', 'startLogin', ADMIN)).toMatchObject({ ok: true, value: { step: 'second_factor_required' } });
  expect(await call(page, 'auth', 'sendCode', { method: 'sms' })).toMatchObject({ ok: true });
  const code = /\b(\d{6})\b/.exec(portal.app.demoSms?.list(1)[0]?.text ?? '')?.[1];
  if (!code) throw new Error('the demo carrier sent no code');
  const wrongCode = String((Number(code) + 500_001) % 1_000_000).padStart(6, '0');
  expect(await call(page, 'auth', 'verifyCode', { code: wrongCode })).toMatchObject({ ok: true, value: { step: 'invalid_code' } });
  expect(await call(page, 'auth', 'verifyCode', { code })).toMatchObject({ ok: true, value: { step: 'signed_in' } });

  const list = (await call(page, 'employees', 'list', { limit: 200 })) as Awaited<ReturnType<PortalApi['employees']['list']>>;
  if (!list.ok) throw new Error(`employees:list failed: ${list.error.code}`);
  const employee = list.value.items.find((candidate) => candidate.cellPhone?.startsWith('+1') && !candidate.email.startsWith('admin@'));
  if (!employee) throw new Error('no employee with a US number in the demo data');
  const current = (await call(page, 'employees', 'get', { id: employee.id })) as Awaited<ReturnType<PortalApi['employees']['get']>>;
  if (!current.ok) throw new Error(`employees:get failed: ${current.error.code}`);
  const updated = await call(page, 'employees', 'update', { id: employee.id, version: current.value.version, cellPhone: '(212) 555-0143', idempotencyKey: randomUUID() });
  expect(updated).toMatchObject({ ok: true, value: { id: employee.id, cellPhone: '+12125550143' } });
  expect(await call(page, 'auth', 'signOut', {})).toMatchObject({ ok: true, value: { revokedOnPortal: true } });

  // The secrets of this session, as the portal knows them.
  const challengeIds = (portal.db.prepare('SELECT id FROM challenges').all() as { id: string }[]).map((row) => row.id);
  const tokenHashes = new Set(
    (portal.db.prepare('SELECT token_hash AS hash FROM access_tokens UNION ALL SELECT token_hash AS hash FROM refresh_tokens').all() as { hash: string }[]).map((row) => row.hash),
  );
  expect(challengeIds.length).toBeGreaterThan(0);
  expect(tokenHashes.size).toBeGreaterThan(0);

  const directory = join(web.profileDir, 'logs');
  const files = logFiles(directory);
  const text = files.map((file) => readFileSync(file, 'utf8')).join('\n');
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  // The logs recorded this session (else a clean result would prove nothing).
  expect(files.length).toBeGreaterThan(0);
  expect(lines.length).toBeGreaterThanOrEqual(3);
  for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
  expect(text).toContain('auth: signed in');
  // The failed verify is logged with its request path, which holds the challenge id: the redactor must have caught it.
  expect(text).toMatch(/"path":"\/auth\/challenges\/[^"]+\/verify".*"code":"invalid_code"/);
  expect(text).toContain('auth: session ended');

  const hits = {
    password: text.split(ADMIN.password).length - 1,
    wrongPassword: text.split(WRONG_PASSWORD).length - 1,
    code: (text.match(new RegExp(`(?<!\\d)${code}(?!\\d)`, 'g')) ?? []).length,
    wrongCode: (text.match(new RegExp(`(?<!\\d)${wrongCode}(?!\\d)`, 'g')) ?? []).length,
    challengeIds: challengeIds.reduce((sum, id) => sum + text.split(id).length - 1, 0),
    tokens: tokensFoundIn(text, tokenHashes),
    tokenShapedStrings: (text.match(/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g) ?? []).length,
    bearer: (text.match(/Bearer\s+(?!\[redacted\])\S+/gi) ?? []).length,
  };
  if (process.env.PORTAL_ADMIN_SHOW_LOGS === '1') console.log(text);
  console.log(`logs-redaction: ${files.length} log file(s), ${lines.length} lines, ${text.length} bytes; hits: ${JSON.stringify(hits)}`);
  expect(hits).toEqual({ password: 0, wrongPassword: 0, code: 0, wrongCode: 0, challengeIds: 0, tokens: 0, tokenShapedStrings: 0, bearer: 0 });
});
