import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ELECTRON_UNAVAILABLE_SENTENCE, findElectronBinary } from '../../../../scripts/electron-available';

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
