/**
 * What the launcher (`npm start`, a shortcut, a test) told the app, from switches or environment:
 *
 *   --portal-url=https://…     PORTAL_ADMIN_PORTAL_URL   the portal to use (else: the saved setting)
 *   --portal-ca=FILE           PORTAL_ADMIN_PORTAL_CA    a PEM file trusted for that portal
 *   --demo-portal              PORTAL_ADMIN_DEMO_PORTAL=1  the portal is the launcher's demo portal
 *   --profile=DIR              PORTAL_ADMIN_PROFILE_DIR  user-data folder (tests use a temporary one)
 *   --test-memory-keychain     (development builds only) keep secrets in memory, not the OS keychain
 *
 * Switches win over the environment. Pure: argv and env come in as parameters.
 *
 * In a packaged app a portal given this way is only proposed (`needsConfirmation`): a crafted
 * shortcut or environment must not point the app, and the admin's password, at another portal with
 * its certificate trusted. The app asks the admin before using it and saves it only when they agree.
 * `npm start` (a development build) uses it directly, as its demo portal needs.
 */
import { isAbsolute, resolve } from 'node:path';

export interface LaunchOptions {
  portal?: { url: string; caFile?: string; isDemo: boolean; needsConfirmation: boolean };
  profileDir?: string;
  keychain: 'os' | 'memory';
  /** Plain-language reasons a switch was ignored, for the log. */
  problems: string[];
}

function switchValue(argv: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument.startsWith(prefix)) return argument.slice(prefix.length);
    if (argument === `--${name}`) {
      const next = argv[index + 1];
      if (next !== undefined && !next.startsWith('--')) return next;
    }
  }
  return undefined;
}

function hasSwitch(argv: readonly string[], name: string): boolean {
  return argv.includes(`--${name}`);
}

/** https only, no user info: the portal URL decides where passwords go. */
export function validatePortalUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.hostname === '') return null;
  if (url.search !== '' || url.hash !== '') return null;
  return url.origin + (url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, ''));
}

export function parseLaunchOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  context: { isPackaged: boolean; cwd: string },
): LaunchOptions {
  const problems: string[] = [];
  const options: LaunchOptions = { keychain: 'os', problems };

  const rawUrl = switchValue(argv, 'portal-url') ?? env.PORTAL_ADMIN_PORTAL_URL;
  const rawCa = switchValue(argv, 'portal-ca') ?? env.PORTAL_ADMIN_PORTAL_CA;
  let isDemo = hasSwitch(argv, 'demo-portal') || env.PORTAL_ADMIN_DEMO_PORTAL === '1';
  if (isDemo && context.isPackaged) {
    problems.push('--demo-portal is ignored in a packaged app.');
    isDemo = false;
  }
  if (rawUrl !== undefined && rawUrl !== '') {
    const url = validatePortalUrl(rawUrl);
    if (url === null) {
      problems.push('The portal URL given at launch was ignored: it must be an https:// address without user name, query or fragment.');
    } else {
      options.portal = { url, isDemo, needsConfirmation: context.isPackaged };
      if (rawCa !== undefined && rawCa !== '') options.portal.caFile = isAbsolute(rawCa) ? rawCa : resolve(context.cwd, rawCa);
    }
  } else if (rawCa !== undefined && rawCa !== '') {
    problems.push('The portal certificate given at launch was ignored: it only applies together with a portal URL.');
  }

  const profile = switchValue(argv, 'profile') ?? env.PORTAL_ADMIN_PROFILE_DIR;
  if (profile !== undefined && profile !== '') options.profileDir = isAbsolute(profile) ? profile : resolve(context.cwd, profile);

  if (hasSwitch(argv, 'test-memory-keychain')) {
    // A shipped app must never quietly keep a refresh token somewhere other than the keychain.
    if (context.isPackaged) problems.push('--test-memory-keychain is ignored in a packaged app.');
    else options.keychain = 'memory';
  }
  return options;
}

/** The hosts whose https links may open in the system browser: the configured portal's, if any. */
export function externalLinkAllowlist(portalUrl: string | undefined): string[] {
  if (!portalUrl) return [];
  try {
    const url = new URL(portalUrl);
    return url.protocol === 'https:' && url.port === '' ? [url.hostname] : [];
  } catch {
    return [];
  }
}
