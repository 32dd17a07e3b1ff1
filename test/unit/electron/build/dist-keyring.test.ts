import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyringBinaryPackage, keyringBinaryProblem } from '../../../../scripts/dist';
import { repositoryRoot } from './support';

describe('npm run dist: the OS keychain’s native binary for the target', () => {
  const nodeModules = mkdtempSync(join(tmpdir(), 'portal-admin-dist-keyring-'));
  afterAll(() => rmSync(nodeModules, { recursive: true, force: true }));
  mkdirSync(join(nodeModules, '@napi-rs', 'keyring'), { recursive: true });
  writeFileSync(join(nodeModules, '@napi-rs', 'keyring', 'package.json'), JSON.stringify({ name: '@napi-rs/keyring', version: '2.1.2' }));

  it('names the binary package @napi-rs/keyring loads on each desktop target', () => {
    expect(keyringBinaryPackage('darwin', 'x64')).toBe('@napi-rs/keyring-darwin-x64');
    expect(keyringBinaryPackage('darwin', 'arm64')).toBe('@napi-rs/keyring-darwin-arm64');
    expect(keyringBinaryPackage('win32', 'x64')).toBe('@napi-rs/keyring-win32-x64-msvc');
    expect(keyringBinaryPackage('linux', 'x64')).toBe('@napi-rs/keyring-linux-x64-gnu');
    expect(keyringBinaryPackage('linux', 'armv7l')).toBe('@napi-rs/keyring-linux-arm-gnueabihf');
    expect(keyringBinaryPackage('aix', 'ppc64')).toBeNull();
  });

  it('an x64 dmg made on an arm64 Mac without the x64 binary: one sentence with the command that fixes it', () => {
    mkdirSync(join(nodeModules, '@napi-rs', 'keyring-darwin-arm64'), { recursive: true });
    writeFileSync(join(nodeModules, '@napi-rs', 'keyring-darwin-arm64', 'package.json'), '{}');
    expect(keyringBinaryProblem({ platform: 'darwin', arch: 'arm64' }, nodeModules)).toBeNull();
    expect(keyringBinaryProblem({ platform: 'darwin', arch: 'x64' }, nodeModules)).toBe(
      "Cannot package for darwin-x64: @napi-rs/keyring-darwin-x64 (the OS keychain's binary for it) is not installed, and the app would not be able to remember sign-ins; " +
        'run `npm install --no-save --force @napi-rs/keyring-darwin-x64@2.1.2` first (npm installs only this machine\'s binary).',
    );
  });

  it('a binary placed in the package folder itself counts too (what @napi-rs/keyring also loads)', () => {
    writeFileSync(join(nodeModules, '@napi-rs', 'keyring', 'keyring.win32-x64-msvc.node'), '');
    expect(keyringBinaryProblem({ platform: 'win32', arch: 'x64' }, nodeModules)).toBeNull();
  });

  it('this checkout has the binary for the machine it runs on', () => {
    expect(keyringBinaryProblem({ platform: process.platform, arch: process.arch }, join(repositoryRoot, 'node_modules'))).toBeNull();
  });

  it.runIf(process.platform === 'linux' && process.arch === 'x64')('run for real for another architecture: exit 1, one line, nothing built', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', join('scripts', 'dist.ts'), '--arch', 'arm64'], { cwd: repositoryRoot, encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Cannot package for linux-arm64: @napi-rs\/keyring-linux-arm64-gnu /) as unknown]);
  });
});
