import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ELECTRON_BUILD_OUTPUTS, isElectronBuildStale } from '../../../../scripts/electron-build';

function touch(path: string, secondsAgo: number): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '');
  const time = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(path, time, time);
  utimesSync(dirname(path), time, time);
}

describe('Electron build freshness', () => {
  const root = mkdtempSync(join(tmpdir(), 'electron-build-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is stale without outputs, fresh after a build, stale again once a source changes', () => {
    touch(join(root, 'electron', 'main', 'index.ts'), 100);
    touch(join(root, 'renderer', 'index.html'), 100);
    touch(join(root, 'package.json'), 100);
    expect(isElectronBuildStale(root)).toBe(true);

    for (const output of ELECTRON_BUILD_OUTPUTS) touch(join(root, output), 50);
    expect(isElectronBuildStale(root)).toBe(false);

    touch(join(root, 'common', 'ipc', 'channels.ts'), 10);
    expect(isElectronBuildStale(root)).toBe(true);
  });
});
