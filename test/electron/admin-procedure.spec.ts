/**
 * The administrator's procedure in the real Electron app: sign in with the SMS code, Admin →
 * Manage Employees, and edit a phone number — the same UI steps as test/e2e/admin-procedure.spec.ts
 * (whose helpers are reused), but in the built app on app://, with the application menu and the
 * log files of the desktop build. A reference portal runs in this process (HTTPS on port 0); the
 * app trusts its certificate and keeps secrets in memory (`--test-memory-keychain`, development
 * builds only) in a temporary profile.
 *
 * These run wherever the Electron binary is installed. Where it is not (these build machines
 * cannot download it), each prints why and skips; the same steps run in Chromium through browser
 * mode in test/e2e/admin-procedure.spec.ts and test/e2e/admin-sign-in.spec.ts.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type ElectronApplication, type Page } from '@playwright/test';
import type { Employee } from '../../common/api';
import { findElectronBinary } from '../../scripts/electron-available';
import { ADMIN, enterCredentials, findRow, fullName, openManageEmployees } from '../e2e/support/admin-app';
import { portalRequest, startTestPortal, tokenFor, type TestPortal } from '../support/portal';
import { firstAppWindow, launchPortalAdmin } from './support/launch-app';

const binary = findElectronBinary();
const skipReason = binary.isAvailable
  ? null
  : `Skipped: ${binary.reason}, so Portal Admin cannot be launched in Electron on this machine; ` +
    'the same sign-in → Manage Employees → edit a phone steps run in browser mode (test/e2e/admin-procedure.spec.ts).';

interface MenuSnapshot {
  label: string;
  items: { label: string; role: string | null; accelerator: string | null; enabled: boolean; visible: boolean }[];
}

let portal: TestPortal | undefined;
let app: ElectronApplication | undefined;
let profile: string | undefined;

test.describe('Portal Admin in Electron: the administrator’s procedure', () => {
  test.beforeEach(() => {
    if (skipReason !== null) console.log(skipReason);
    test.skip(skipReason !== null, skipReason ?? '');
  });

  test.afterEach(async () => {
    await app?.close().catch(() => undefined);
    await portal?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    app = undefined;
    portal = undefined;
    profile = undefined;
  });

  /** Builds if needed, starts a portal and the app on a fresh profile, and returns its window. */
  async function launch(): Promise<Page> {
    if (!binary.isAvailable) throw new Error('unreachable: skipped above');
    test.setTimeout(120_000);
    profile = mkdtempSync(join(tmpdir(), 'portal-admin-electron-'));
    portal = await startTestPortal();
    app = await launchPortalAdmin({ executablePath: binary.path, portalUrl: portal.url, caPath: portal.tls.certPath, profile });
    const page = await firstAppWindow(app);
    await expect(page.getByRole('heading', { name: /Sign in|Welcome/ })).toBeVisible();
    return page;
  }

  /** Email + password, "Send code", the code the demo carrier "sent", Verify. */
  async function signIn(page: Page): Promise<void> {
    await enterCredentials(page, ADMIN);
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(page.getByLabel('6-digit code')).toBeVisible();
    const code = /\b(\d{6})\b/.exec(portal!.app.demoSms?.list(1)[0]?.text ?? '')?.[1];
    expect(code, 'a code from the demo carrier').toBeDefined();
    await page.getByLabel('6-digit code').fill(code!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  }

  async function someEmployee(): Promise<Employee> {
    const response = await portalRequest(portal!, 'GET', '/api/v1/employees?limit=200', { token: tokenFor(portal!, ADMIN.email) });
    const employee = ((response.body as { items?: Employee[] }).items ?? []).find(
      (candidate) => candidate.cellPhone?.startsWith('+1') && !/^(admin|tech|totp|locked)@/.test(candidate.email),
    );
    if (!employee) throw new Error('no ordinary employee with a US number in the demo data');
    return employee;
  }

  test('sign in with the SMS code; the log file records it without the password', async () => {
    const page = await launch();
    await signIn(page);

    const logs = join(profile!, 'logs');
    const text = readdirSync(logs).map((name) => readFileSync(join(logs, name), 'utf8')).join('\n');
    expect(text).toContain('auth: signed in');
    expect(text).not.toContain(ADMIN.password);
  });

  test('Admin → Manage Employees; the application menu offers the screen, Help and the standard roles', async () => {
    const page = await launch();
    await signIn(page);
    const grid = await openManageEmployees(page);
    await expect(grid.getByRole('row').nth(1)).toBeVisible();
    await expect(page.getByTestId('employee-count')).toHaveText(/^\d[\d,]* employees$/);

    const menu = await app!.evaluate(({ Menu }) =>
      (Menu.getApplicationMenu()?.items ?? []).map((top) => ({
        label: top.label.replace('&', ''),
        items: (top.submenu?.items ?? []).map((item) => ({
          label: item.label,
          role: item.role ?? null,
          accelerator: item.accelerator ?? null,
          enabled: item.enabled,
          visible: item.visible,
        })),
      })),
    ) as MenuSnapshot[];
    const named = (label: string): MenuSnapshot['items'] => menu.find((top) => top.label === label)?.items ?? [];
    expect(named('Admin').find((item) => item.label === 'Manage Employees')).toMatchObject({ accelerator: 'CmdOrCtrl+E' });
    expect(named('Help').map((item) => item.label)).toContain('Open Logs Folder');
    expect(named('Edit').map((item) => item.role?.toLowerCase())).toEqual(expect.arrayContaining(['copy', 'paste', 'selectall']));
    expect(named('View').map((item) => item.role?.toLowerCase())).toEqual(expect.arrayContaining(['zoomin', 'zoomout', 'resetzoom']));
  });

  test('edit a phone: the pencil → Edit Employee → Cell Phone Number → Save Changes, and the portal has it', async () => {
    const employee = await someEmployee();
    const page = await launch();
    await signIn(page);
    await openManageEmployees(page);
    const row = await findRow(page, employee);
    await row.getByRole('button', { name: `Edit ${fullName(employee)}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Employee' });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Cell Phone Number').fill('212 555 0188');
    await expect(dialog).toContainText('Will be saved as +1 212 555 0188');
    await dialog.getByRole('button', { name: 'Save Changes' }).click();
    await expect(dialog).toBeHidden();
    await expect(row).toContainText('+1 212 555 0188');

    const stored = await portalRequest(portal!, 'GET', `/api/v1/employees/${employee.id}`, { token: tokenFor(portal!, ADMIN.email) });
    expect(stored.body).toMatchObject({ cellPhone: '+12125550188', version: employee.version + 1 });
  });
});
