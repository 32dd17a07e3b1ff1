import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  APPARMOR_USERNS_SWITCH,
  launcherProfileDir,
  linuxSandboxProblem,
  rootProblem,
  sandboxFactsOf,
  USERNS_CLONE_SWITCH,
} from '../../../../scripts/launch-checks';

const repositoryRoot = join(import.meta.dirname, '..', '..', '..', '..');

describe('npm start: the development profile', () => {
  it('is the repository’s own folder by default, never the installed app’s', () => {
    expect(launcherProfileDir({ env: {}, repositoryRoot: '/src/portal-admin' })).toBe('/src/portal-admin/.data/profile');
  });

  it('--profile wins over PORTAL_ADMIN_PROFILE_DIR, and both resolve against the working folder', () => {
    const env = { PORTAL_ADMIN_PROFILE_DIR: 'from-env' };
    expect(launcherProfileDir({ profile: 'mine', env, repositoryRoot: '/r', cwd: '/home/a' })).toBe('/home/a/mine');
    expect(launcherProfileDir({ env, repositoryRoot: '/r', cwd: '/home/a' })).toBe('/home/a/from-env');
  });
});

describe('npm start: Linux sandbox and root checks', () => {
  const folder = mkdtempSync(join(tmpdir(), 'portal-admin-sandbox-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const electronPath = join(folder, 'dist', 'electron');
  mkdirSync(join(folder, 'dist'));
  writeFileSync(electronPath, '');
  const helper = join(folder, 'dist', 'chrome-sandbox');
  writeFileSync(helper, '');

  function facts(switches: Record<string, string>, helperOwner: { uid: number; mode: number } | null) {
    return { platform: 'linux' as const, electronPath, readText: (path: string) => switches[path] ?? null, stat: (path: string) => (path === helper ? helperOwner : null) };
  }

  it('Ubuntu 24.04 (AppArmor restricts user namespaces) with a helper that is not setuid root: one sentence with the remedies', () => {
    const sentence = linuxSandboxProblem(facts({ [APPARMOR_USERNS_SWITCH]: '1\n' }, { uid: 1000, mode: 0o100755 }));
    expect(sentence).toContain(helper);
    expect(sentence).toContain(`sudo chown root:root ${helper} && sudo chmod 4755 ${helper}`);
    expect(sentence).toMatch(/AppArmor profile/);
    expect(sentence).toMatch(/deb/);
    expect(sentence).not.toMatch(/--no-sandbox/);
  });

  it('kernels that turn unprivileged user namespaces off, and a helper owned by root without the setuid bit, count too', () => {
    expect(linuxSandboxProblem(facts({ [USERNS_CLONE_SWITCH]: '0' }, { uid: 0, mode: 0o100755 }))).not.toBeNull();
    expect(linuxSandboxProblem(facts({ [APPARMOR_USERNS_SWITCH]: '1' }, null))).not.toBeNull();
  });

  it('nothing to say when namespaces are allowed, when the helper is setuid root, or off Linux', () => {
    expect(linuxSandboxProblem(facts({ [APPARMOR_USERNS_SWITCH]: '0' }, { uid: 1000, mode: 0o100755 }))).toBeNull();
    expect(linuxSandboxProblem(facts({}, { uid: 1000, mode: 0o100755 }))).toBeNull();
    expect(linuxSandboxProblem(facts({ [APPARMOR_USERNS_SWITCH]: '1' }, { uid: 0, mode: 0o104755 }))).toBeNull();
    expect(linuxSandboxProblem({ ...facts({ [APPARMOR_USERNS_SWITCH]: '1' }, null), platform: 'darwin' })).toBeNull();
  });

  it('reads the real helper’s owner and mode from the file system', () => {
    chmodSync(helper, 0o755);
    const real = sandboxFactsOf(electronPath, 'linux');
    const stats = real.stat(helper);
    expect(stats && stats.mode & 0o7777).toBe(0o755);
    expect(real.stat(join(folder, 'missing'))).toBeNull();
    expect(real.readText(join(folder, 'missing'))).toBeNull();
    expect(linuxSandboxProblem({ ...real, readText: (path) => (path === APPARMOR_USERNS_SWITCH ? '1' : null) })).not.toBeNull();
  });

  it('root on Linux gets a plain sentence; other users and other systems none', () => {
    expect(rootProblem({ platform: 'linux', uid: 0 })).toMatch(/does not run as root.*without sudo/);
    expect(rootProblem({ platform: 'linux', uid: 1000 })).toBeNull();
    expect(rootProblem({ platform: 'win32', uid: undefined })).toBeNull();
  });

  it.runIf(process.getuid?.() === 0)('npm start as root stops with that sentence before it starts anything', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(repositoryRoot, 'scripts', 'start.ts')], { cwd: repositoryRoot, encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Portal Admin does not run as root');
    expect(result.stdout).not.toMatch(/demo portal|Building/);
  });
});
