/**
 * The attack: someone who can edit the admin's shortcut (or environment) adds
 * `--portal-url=https://evil.test --portal-ca=<their certificate>` to a packaged Portal Admin. The
 * app must not use that portal (the admin's password would go there, over a connection trusting
 * the attacker's certificate) nor save it, until the admin says yes in the app.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/main/log';
import { createServices, type Services } from '../../electron/main/create-services';
import { SETTINGS_FILE_NAME } from '../../electron/main/services/settings';
import { parseLaunchOptions } from '../../electron/main/shell/launch-options';
import { makeCertificate } from '../unit/electron/support/tls';

const GOOD_PORTAL = 'https://portal.acme.test';
const EVIL_PORTAL = 'https://evil.test';
const open: Services[] = [];
const directories: string[] = [];
afterEach(async () => {
  for (const services of open.splice(0)) await services.dispose();
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

async function packagedLaunch(userDataDir: string, argv: string[], env: Record<string, string> = {}): Promise<Services> {
  // What electron/main/index.ts does with the command line of a packaged app.
  const launch = parseLaunchOptions(['/opt/Portal Admin/portal-admin', ...argv], env, { isPackaged: true, cwd: '/' });
  const services = await createServices({ userDataDir, portal: launch.portal, keychain: 'memory', probeConnection: false, log: silentLogger, restoreWaitMs: 0 });
  open.push(services);
  return services;
}

async function attackerFiles() {
  const directory = mkdtempSync(join(tmpdir(), 'portal-admin-attack-'));
  directories.push(directory);
  const ca = join(directory, 'evil-ca.pem');
  writeFileSync(ca, (await makeCertificate({ names: ['evil.test'] })).cert);
  const profile = join(directory, 'profile');
  return { ca, profile };
}

describe('attack: a crafted shortcut points a packaged app at another portal', () => {
  it.each([
    ['switches', (ca: string) => ({ argv: [`--portal-url=${EVIL_PORTAL}`, `--portal-ca=${ca}`], env: {} })],
    ['environment', (ca: string) => ({ argv: [], env: { PORTAL_ADMIN_PORTAL_URL: EVIL_PORTAL, PORTAL_ADMIN_PORTAL_CA: ca } })],
  ])('through %s: the configured portal stays in use and on disk until the admin says yes', async (_how, given) => {
    const { ca, profile } = await attackerFiles();
    // The admin's own configuration, from an earlier run.
    const first = await packagedLaunch(profile, []);
    await first.settings.setPortal({ portalUrl: GOOD_PORTAL });
    await first.dispose();
    open.splice(open.indexOf(first), 1);

    const { argv, env } = given(ca);
    const attacked = await packagedLaunch(profile, argv, env);
    expect(attacked.settings.get()).toMatchObject({ portalUrl: GOOD_PORTAL, caFile: null });
    expect(attacked.portal().origin).toBe(GOOD_PORTAL);
    expect(readFileSync(join(profile, SETTINGS_FILE_NAME), 'utf8')).not.toContain('evil');
    // The admin is asked, with what the shortcut wants trusted.
    expect(attacked.launchPortal.get()).toMatchObject({ portalUrl: EVIL_PORTAL, caFile: ca, currentPortalUrl: GOOD_PORTAL });
    expect(attacked.launchPortal.get()?.caFingerprints[0]).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

    // "Keep my settings": nothing changes, now or at the next start without the switch.
    await expect(attacked.launchPortal.answer(false)).resolves.toMatchObject({ portalUrl: GOOD_PORTAL });
    expect(attacked.launchPortal.get()).toBeNull();
    await attacked.dispose();
    open.splice(open.indexOf(attacked), 1);
    const next = await packagedLaunch(profile, []);
    expect(next.settings.get().portalUrl).toBe(GOOD_PORTAL);
  });

  it('a first run with no portal yet does not use the given one before the admin confirms it either', async () => {
    const { ca, profile } = await attackerFiles();
    const services = await packagedLaunch(profile, [`--portal-url=${EVIL_PORTAL}`, `--portal-ca=${ca}`]);
    expect(services.settings.get().portalUrl).toBeNull();
    expect(() => services.portal()).toThrow(expect.objectContaining({ code: 'not_configured' }) as Error);
  });

  it('when the admin says yes, the portal and its certificate are saved through the ordinary settings path', async () => {
    const { ca, profile } = await attackerFiles();
    const services = await packagedLaunch(profile, [`--portal-url=${EVIL_PORTAL}/`, `--portal-ca=${ca}`]);
    // The certificate is kept as a copy in the profile (named by its hash), as a chosen one is.
    const kept = expect.stringMatching(/portal-ca-[0-9a-f]+\.pem$/) as unknown as string;
    await expect(services.launchPortal.answer(true)).resolves.toMatchObject({ portalUrl: EVIL_PORTAL, caFile: kept });
    expect(services.portal().origin).toBe(EVIL_PORTAL);
    expect(JSON.parse(readFileSync(join(profile, SETTINGS_FILE_NAME), 'utf8'))).toMatchObject({ portalUrl: EVIL_PORTAL, caFile: kept });
    expect(readFileSync(services.settings.get().caFile!, 'utf8').trim()).toBe(readFileSync(ca, 'utf8').trim());
    expect(services.launchPortal.get()).toBeNull();
  });

  it('npm start (a development build) keeps using its portal directly: the demo portal needs no question', async () => {
    const { ca, profile } = await attackerFiles();
    const launch = parseLaunchOptions(['electron', '.', `--portal-url=${GOOD_PORTAL}`, `--portal-ca=${ca}`, '--demo-portal'], {}, { isPackaged: false, cwd: '/' });
    const services = await createServices({ userDataDir: profile, portal: launch.portal, keychain: 'memory', probeConnection: false, log: silentLogger, restoreWaitMs: 0 });
    open.push(services);
    expect(services.settings.get()).toMatchObject({ portalUrl: GOOD_PORTAL, caFile: ca, isDemoPortal: true });
    expect(services.launchPortal.get()).toBeNull();
  });
});
