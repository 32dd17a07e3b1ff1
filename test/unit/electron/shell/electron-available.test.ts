import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ELECTRON_UNAVAILABLE_SENTENCE, findElectronBinary, installElectronBinary } from '../../../../scripts/electron-available';

/** A fake node_modules/electron with or without its downloaded binary. */
function fakeElectronPackage(directory: string, options: { pathTxt?: string; binary?: string }): string {
  const packageDir = join(directory, 'node_modules', 'electron');
  mkdirSync(join(packageDir, 'dist'), { recursive: true });
  writeFileSync(join(packageDir, 'package.json'), JSON.stringify({ name: 'electron', version: '45.5.0', main: 'index.js' }));
  // Requiring this would start a download; the check must never load it.
  writeFileSync(join(packageDir, 'index.js'), 'throw new Error("index.js must not be required")');
  if (options.pathTxt !== undefined) writeFileSync(join(packageDir, 'path.txt'), options.pathTxt);
  if (options.binary !== undefined) writeFileSync(join(packageDir, 'dist', options.binary), '#!/bin/sh\n');
  return join(directory, 'probe.js');
}

describe('Electron binary check', () => {
  const base = mkdtempSync(join(tmpdir(), 'electron-available-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('says the binary is missing when electron was installed without its download', () => {
    const from = fakeElectronPackage(join(base, 'missing'), {});
    const result = findElectronBinary({ from, env: {}, platform: 'linux' });
    expect(result.isAvailable).toBe(false);
    expect(result.isAvailable ? '' : result.reason).toMatch(/not installed/);
  });

  it('says so when path.txt points at a binary that is not there', () => {
    const from = fakeElectronPackage(join(base, 'dangling'), { pathTxt: 'electron' });
    expect(findElectronBinary({ from, env: {}, platform: 'linux' }).isAvailable).toBe(false);
  });

  it('finds a downloaded binary', () => {
    const from = fakeElectronPackage(join(base, 'present'), { pathTxt: 'electron', binary: 'electron' });
    expect(findElectronBinary({ from, env: {}, platform: 'linux' })).toEqual({ isAvailable: true, path: join(base, 'present', 'node_modules', 'electron', 'dist', 'electron') });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH as electron itself does', () => {
    const from = fakeElectronPackage(join(base, 'override'), {});
    const dist = join(base, 'override-dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'electron'), '');
    expect(findElectronBinary({ from, env: { ELECTRON_OVERRIDE_DIST_PATH: dist }, platform: 'linux' })).toEqual({ isAvailable: true, path: join(dist, 'electron') });
  });

  it('reports no electron package at all', () => {
    expect(findElectronBinary({ from: join(base, 'nowhere', 'probe.js'), env: {} }).isAvailable).toBe(false);
  });

  it('has one plain sentence that names the browser-mode alternative', () => {
    expect(ELECTRON_UNAVAILABLE_SENTENCE).toContain('npm run start:web');
    expect(ELECTRON_UNAVAILABLE_SENTENCE.split(/[.;]\s/).length).toBeLessThanOrEqual(2);
  });
});

describe('Electron binary download on first start', () => {
  const base = mkdtempSync(join(tmpdir(), 'electron-install-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  /** A fake electron package whose install.js "downloads" (writes the binary) or fails like an offline machine. */
  function withInstaller(name: string, script: string): string {
    const from = fakeElectronPackage(join(base, name), {});
    writeFileSync(join(base, name, 'node_modules', 'electron', 'install.js'), script);
    return from;
  }

  it('runs the package’s own installer once and then finds the binary', () => {
    const from = withInstaller(
      'downloads',
      `const fs = require('fs'); const path = require('path');
       fs.writeFileSync(path.join(__dirname, 'dist', 'electron'), '#!/bin/sh\\n');
       fs.writeFileSync(path.join(__dirname, 'path.txt'), 'electron');`,
    );
    const lines: string[] = [];
    const result = installElectronBinary({ from, env: {}, platform: 'linux', log: (line) => lines.push(line) });
    expect(result).toEqual({ isAvailable: true, path: join(base, 'downloads', 'node_modules', 'electron', 'dist', 'electron') });
    expect(lines).toEqual(['Downloading Electron (only on the first start)…']);
  });

  it('reports a failed download (no internet) as unavailable, with the reason', () => {
    const from = withInstaller('offline', `console.error('getaddrinfo ENOTFOUND github.com'); process.exit(1);`);
    const result = installElectronBinary({ from, env: {}, platform: 'linux', log: () => undefined });
    expect(result.isAvailable).toBe(false);
    expect(result.isAvailable ? '' : result.reason).toMatch(/download failed \(getaddrinfo ENOTFOUND github\.com\)/);
  });

  it('does not try when ELECTRON_SKIP_BINARY_DOWNLOAD is set, and never runs the installer then', () => {
    const from = withInstaller('skipped', `require('fs').writeFileSync(require('path').join(__dirname, 'ran'), 'yes'); process.exit(1);`);
    const result = installElectronBinary({ from, env: { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, platform: 'linux', log: () => undefined });
    expect(result.isAvailable).toBe(false);
    expect(existsSync(join(base, 'skipped', 'node_modules', 'electron', 'ran'))).toBe(false);
  });

  it('gives up after its time limit', () => {
    const from = withInstaller('hangs', `setTimeout(() => {}, 60_000);`);
    const result = installElectronBinary({ from, env: {}, platform: 'linux', timeoutMs: 500, log: () => undefined });
    expect(result.isAvailable).toBe(false);
  });
});
