import { _electron as electron, expect, type ElectronApplication, type Page } from '@playwright/test';
import { repositoryRoot } from '../../../scripts/demo-portal';
import { buildElectron, isElectronBuildStale } from '../../../scripts/electron-build';

export interface PortalAdminLaunch {
  executablePath: string;
  portalUrl: string;
  caPath: string;
  profile: string;
  isDemoPortal?: boolean;
}

/**
 * Playwright's options for starting the app. Playwright adds `--no-sandbox` on Linux unless
 * `chromiumSandbox` is set, so a spec would pass on a machine where the app itself cannot start
 * (Ubuntu 23.10+ without the sandbox set up): the sandbox stays on, as for users, except as root
 * (CI containers), where Chromium refuses to start with it; the app still runs every renderer with
 * `sandbox: true` there, only the OS-level layer is off.
 */
export function electronLaunchOptions(options: PortalAdminLaunch, uid: number | undefined = process.getuid?.()): Parameters<typeof electron.launch>[0] & object {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && name !== 'ELECTRON_RUN_AS_NODE') env[name] = value;
  return {
    executablePath: options.executablePath,
    chromiumSandbox: uid !== 0,
    args: [
      repositoryRoot,
      `--portal-url=${options.portalUrl}`,
      `--portal-ca=${options.caPath}`,
      ...(options.isDemoPortal ? ['--demo-portal'] : []),
      `--profile=${options.profile}`,
      '--test-memory-keychain',
    ],
    env,
    cwd: repositoryRoot,
  };
}

/**
 * Builds the app if its sources changed, then starts it in the real Electron binary, pointed at a
 * portal whose certificate it trusts, on a temporary profile, with secrets kept in memory
 * (`--test-memory-keychain`, honoured by development builds only).
 */
export async function launchPortalAdmin(options: PortalAdminLaunch): Promise<ElectronApplication> {
  if (isElectronBuildStale(repositoryRoot)) expect(buildElectron(repositoryRoot, { quiet: true }), 'electron-vite build').toBe(true);
  return electron.launch(electronLaunchOptions(options));
}

/** The app's own page: app://portal-admin/… (the window starts on about:blank before it loads). */
export const APP_PAGE_URL = /^app:\/\/portal-admin\//;

/**
 * The app's first window once it shows the app page. `firstWindow()` resolves as soon as the
 * window exists, which may be before `loadURL` committed: its URL is then still about:blank, so
 * a test must wait for the app's URL instead of reading `page.url()` at once.
 */
export async function firstAppWindow(app: Pick<ElectronApplication, 'firstWindow'>, url: RegExp = APP_PAGE_URL): Promise<Page> {
  const page = await app.firstWindow();
  await page.waitForURL(url);
  return page;
}
