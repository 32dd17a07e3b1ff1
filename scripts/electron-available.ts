/**
 * Is the Electron binary on this machine? Answers from the files `electron`'s own index.js would
 * read, WITHOUT requiring it: `require('electron')` from Node starts a download when the binary is
 * missing, which on a machine without internet hangs or fails after a long wait.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ElectronBinary = { isAvailable: true; path: string } | { isAvailable: false; reason: string };

/** The sentence both launchers and the Electron spec print when there is no binary. */
export const ELECTRON_UNAVAILABLE_SENTENCE =
  'Electron could not be started on this machine (its binary is not installed and cannot be downloaded); run `npm run start:web` to use Portal Admin in your browser instead.';

function platformExecutable(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

export function findElectronBinary(options: { from?: string; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform } = {}): ElectronBinary {
  const env = options.env ?? process.env;
  let packageDir: string;
  try {
    const require = createRequire(options.from ?? import.meta.url);
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { isAvailable: false, reason: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const recorded = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const executable = recorded || platformExecutable(options.platform ?? process.platform);
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override ? join(override, executable) : join(packageDir, 'dist', executable);
  if (!override && recorded === null) {
    return { isAvailable: false, reason: `the Electron binary is not installed (no ${pathFile}, no ${join(packageDir, 'dist')})` };
  }
  if (!existsSync(candidate)) return { isAvailable: false, reason: `the Electron binary is not installed (${candidate} does not exist)` };
  return { isAvailable: true, path: candidate };
}

/**
 * Electron 42+ has no install script: its binary is downloaded on first use. `npm start` asks for
 * that download itself (once, with a time limit) instead of requiring `electron`, so a machine
 * without internet gets a plain sentence quickly rather than a hang. Skipped when
 * ELECTRON_SKIP_BINARY_DOWNLOAD is set.
 */
export function installElectronBinary(
  options: { from?: string; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; timeoutMs?: number; log?: (line: string) => void } = {},
): ElectronBinary {
  const env = options.env ?? process.env;
  const found = findElectronBinary(options);
  if (found.isAvailable) return found;
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) return { isAvailable: false, reason: `${found.reason}; ELECTRON_SKIP_BINARY_DOWNLOAD is set` };
  let installer: string;
  try {
    installer = join(dirname(createRequire(options.from ?? import.meta.url).resolve('electron/package.json')), 'install.js');
  } catch {
    return found;
  }
  if (!existsSync(installer)) return found;
  (options.log ?? console.log)('Downloading Electron (only on the first start)…');
  // Its output is kept, not shown: offline it is a stack trace, and the caller prints one plain sentence.
  const result = spawnSync(process.execPath, [installer], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env, timeout: options.timeoutMs ?? 10 * 60_000 });
  if (result.status !== 0) {
    const firstLine = `${result.stderr ?? ''}`.split('\n').find((line) => line.trim() !== '')?.trim();
    return { isAvailable: false, reason: `the Electron download failed (${result.error?.message ?? firstLine ?? `exit ${result.status ?? result.signal}`})` };
  }
  return findElectronBinary(options);
}
