/**
 * `electron-vite build` when out/ is missing or older than its sources: shared by `npm start` and
 * the Electron end-to-end spec.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { newestModification } from '../electron/browser-mode/renderer-freshness';

/** Build outputs, and what each is built from (relative to the repository root). */
export const ELECTRON_BUILD_OUTPUTS = ['out/main/index.cjs', 'out/preload/index.cjs', 'out/renderer/index.html'] as const;
export const ELECTRON_BUILD_SOURCES = ['electron/main', 'electron/preload', 'common', 'renderer', 'electron.vite.config.ts', 'package.json'] as const;

export function isElectronBuildStale(root: string): boolean {
  const outputs = ELECTRON_BUILD_OUTPUTS.map((output) => join(root, output));
  if (outputs.some((output) => !existsSync(output))) return true;
  const oldestOutput = Math.min(...outputs.map((output) => statSync(output).mtimeMs));
  return ELECTRON_BUILD_SOURCES.some((source) => newestModification(join(root, source)) > oldestOutput);
}

/** Runs `electron-vite build` in `root`; true when it succeeded. */
export function buildElectron(root: string, options: { quiet?: boolean } = {}): boolean {
  const require = createRequire(join(root, 'package.json'));
  const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const result = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: options.quiet ? 'pipe' : 'inherit' });
  return result.status === 0;
}
