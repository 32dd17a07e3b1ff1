/**
 * What `npm start` checks before it launches Electron, as plain functions over injected file
 * reads (tested on any machine): where the development profile lives, and the two conditions in
 * which Chromium aborts before any of the app's code runs (Linux only).
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The profile `npm start` uses unless told otherwise: a folder of the repository, never the
 * installed app's. Sharing that one would share its single-instance lock (the development app
 * quits at once while the installed one runs) and write the demo portal into its settings.
 */
export function launcherProfileDir(options: { profile?: string; env: NodeJS.ProcessEnv; repositoryRoot: string; cwd?: string }): string {
  const chosen = options.profile ?? options.env.PORTAL_ADMIN_PROFILE_DIR;
  if (chosen) return resolve(options.cwd ?? process.cwd(), chosen);
  return join(options.repositoryRoot, '.data', 'profile');
}

export interface SandboxFacts {
  platform: NodeJS.Platform;
  /** The Electron executable about to be started. */
  electronPath: string;
  /** A file's text, or null when it cannot be read. */
  readText(path: string): string | null;
  /** Owner and mode of a file, or null when it does not exist. */
  stat(path: string): { uid: number; mode: number } | null;
}

export const APPARMOR_USERNS_SWITCH = '/proc/sys/kernel/apparmor_restrict_unprivileged_userns';
export const USERNS_CLONE_SWITCH = '/proc/sys/kernel/unprivileged_userns_clone';

/**
 * Linux: Chromium sandboxes its renderers with an unprivileged user namespace, or else with the
 * setuid `chrome-sandbox` helper. Ubuntu 23.10+ (AppArmor's `apparmor_restrict_unprivileged_userns`
 * = 1) and kernels with `unprivileged_userns_clone` = 0 refuse the first; an npm-installed Electron's
 * helper is not setuid root; then Electron aborts with "The SUID sandbox helper binary was found,
 * but is not configured correctly". Null when neither applies.
 */
export function linuxSandboxProblem(facts: SandboxFacts): string | null {
  if (facts.platform !== 'linux') return null;
  const isRestricted = facts.readText(APPARMOR_USERNS_SWITCH)?.trim() === '1' || facts.readText(USERNS_CLONE_SWITCH)?.trim() === '0';
  if (!isRestricted) return null;
  const helper = join(dirname(facts.electronPath), 'chrome-sandbox');
  const owner = facts.stat(helper);
  if (owner && owner.uid === 0 && (owner.mode & 0o4000) !== 0) return null;
  return (
    'Electron cannot start its sandbox here: this system restricts unprivileged user namespaces (AppArmor on Ubuntu 23.10 and later) ' +
    `and ${helper} is not setuid root; fix it with \`sudo chown root:root ${helper} && sudo chmod 4755 ${helper}\`, ` +
    'or allow Electron with an AppArmor profile (README, "Ubuntu 23.10 and later"), or use the installed deb package; ' +
    'Portal Admin never turns its sandbox off.'
  );
}

/** The facts from this machine's files. */
export function sandboxFactsOf(electronPath: string, platform: NodeJS.Platform = process.platform): SandboxFacts {
  return {
    platform,
    electronPath,
    readText: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return null;
      }
    },
    stat: (path) => {
      try {
        const stats = statSync(path);
        return { uid: stats.uid, mode: stats.mode };
      } catch {
        return null;
      }
    },
  };
}

/** Chromium refuses to run as root with its sandbox on, and the app would keep root's profile and keychain. */
export function rootProblem(facts: { platform: NodeJS.Platform; uid: number | undefined }): string | null {
  if (facts.platform !== 'linux' || facts.uid !== 0) return null;
  return 'Portal Admin does not run as root (Chromium refuses to start its sandbox for root, and the app would keep its profile and keychain entries in root\'s account); start it as your own user, without sudo.';
}
