/**
 * npm run dist [-- --electron-dist PATH] [--arch x64|arm64|ia32|armv7l]
 *
 * Builds Portal Admin (electron-vite build) and packages it with electron-builder for this
 * platform (electron-builder.yml: NSIS on Windows, dmg on macOS, AppImage + deb on Linux) into dist/.
 *
 * electron-builder needs Electron's zip for this platform. It takes it, in this order, from
 * --electron-dist / PORTAL_ADMIN_ELECTRON_DIST (a zip, a folder holding the zip, or an unpacked
 * Electron), from the download cache of @electron/get, or from the internet. Before building, this
 * script checks that one of them will work; where none can, it stops with one plain sentence
 * instead of electron-builder's stack trace after a long wait (TOOLCHAIN.md P7). A download that
 * fails later (the AppImage, deb or NSIS tools) also ends in one sentence.
 *
 * The app needs the OS keychain's native binary for the target (`@napi-rs/keyring-<platform>-<arch>`),
 * and npm installs only the one for the machine it runs on; packaging for another architecture
 * without it would give an app without a keychain, so that is one sentence too, before anything runs.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildElectron } from './electron-build';

const repositoryRoot = resolve(import.meta.dirname, '..');
const GITHUB_RELEASES = 'https://github.com/electron/electron/releases/download/';
const DOCS = 'README.md, "Install and package"';

export interface ElectronTarget {
  version: string;
  platform: NodeJS.Platform;
  arch: string;
}

export const electronZipName = (target: ElectronTarget): string => `electron-v${target.version}-${target.platform}-${target.arch}.zip`;

/** @electron/get's default cache folder (electron-builder reads Electron from there). */
export function defaultElectronCacheRoot(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home = homedir()): string {
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'electron');
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'electron', 'Cache');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'electron');
}

/** Where @electron/get would download from: ELECTRON_MIRROR (or its npm-config spellings), else GitHub. */
export function electronDownloadBase(env: NodeJS.ProcessEnv): string {
  return env.ELECTRON_MIRROR || env.npm_config_electron_mirror || env.NPM_CONFIG_ELECTRON_MIRROR || env.npm_package_config_electron_mirror || GITHUB_RELEASES;
}

export function electronDownloadUrl(env: NodeJS.ProcessEnv, target: ElectronTarget): string {
  return `${electronDownloadBase(env).replace(/\/?$/, '/')}v${target.version}/${electronZipName(target)}`;
}

/**
 * Where @electron/get keeps a downloaded zip: `<cache root>/<SHA-256 of the URL's folder>/<zip>`
 * (its Cache.getCacheDirectory), so a zip copied there is used instead of a download.
 */
export function electronCachePath(cacheRoot: string, downloadUrl: string): string {
  const folder = createHash('sha256').update(downloadUrl.slice(0, downloadUrl.lastIndexOf('/'))).digest('hex');
  return join(cacheRoot, folder, downloadUrl.slice(downloadUrl.lastIndexOf('/') + 1));
}

/**
 * Can electron-builder get this Electron without the network? The zip must be in the cache, and
 * its checksum list seeded at the cache root (`SHASUMS256.txt-<version>`), because @electron/get
 * otherwise downloads SHASUMS256.txt on every build, cached zip or not.
 */
export function isElectronCachedOffline(cacheRoot: string, target: ElectronTarget, env: NodeJS.ProcessEnv = {}): boolean {
  if (!existsSync(electronCachePath(cacheRoot, electronDownloadUrl(env, target)))) return false;
  const zip = electronZipName(target);
  return [`SHASUMS256.txt-${target.version}`, 'SHASUMS256.txt'].some((name) => {
    try {
      return readFileSync(join(cacheRoot, name), 'utf8').includes(zip);
    } catch {
      return false;
    }
  });
}

/** True when the host answers at all (any HTTP status); false on DNS, connection or timeout errors. */
export function isReachable(url: string, timeoutMs = 8000): Promise<boolean> {
  return new Promise((resolvePromise) => {
    let request;
    try {
      request = (url.startsWith('http:') ? httpRequest : httpsRequest)(url, { method: 'HEAD', timeout: timeoutMs }, (response) => {
        response.resume();
        resolvePromise(true);
      });
    } catch {
      resolvePromise(false);
      return;
    }
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolvePromise(false));
    request.end();
  });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'GLOBAL_AGENT_HTTPS_PROXY', 'GLOBAL_AGENT_HTTP_PROXY', 'ELECTRON_GET_USE_PROXY'];

export type ElectronSource = { ok: true; electronDist?: string } | { ok: false; sentence: string };

/** Decides where Electron comes from, or the one sentence that says why packaging cannot start. */
export async function findElectronSource(options: {
  target: ElectronTarget;
  electronDist?: string;
  env: NodeJS.ProcessEnv;
  cacheRoot: string;
  probe?: (url: string) => Promise<boolean>;
}): Promise<ElectronSource> {
  const { target, env } = options;
  const zip = electronZipName(target);
  if (options.electronDist) {
    const path = resolve(options.electronDist);
    if (!existsSync(path)) return { ok: false, sentence: `Cannot package: the Electron given with --electron-dist (${path}) does not exist.` };
    if (statSync(path).isFile() && !path.endsWith('.zip')) return { ok: false, sentence: `Cannot package: --electron-dist must be ${zip}, a folder holding it, or an unpacked Electron ${target.version}, not ${path}.` };
    return { ok: true, electronDist: path };
  }
  if (isElectronCachedOffline(options.cacheRoot, target, env)) return { ok: true };
  // Behind a proxy only electron-builder knows how to get out: let it try.
  if (PROXY_VARIABLES.some((name) => env[name])) return { ok: true };
  const base = electronDownloadBase(env);
  if (await (options.probe ?? isReachable)(electronDownloadUrl(env, target))) return { ok: true };
  return {
    ok: false,
    sentence:
      `Cannot package: Electron ${target.version} for ${target.platform}-${target.arch} is not in the local cache (${options.cacheRoot}) and ${hostOf(base)} cannot be reached, ` +
      `so download ${zip} where the internet is available and run \`npm run dist -- --electron-dist /path/to/${zip}\` (see ${DOCS}).`,
  };
}

const NETWORK_FAILURE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|getaddrinfo|socket hang up|net::ERR_/;

/** The sentence for a failed electron-builder run: a download that could not happen, or anything else. */
export function failureSentence(output: string): string {
  if (!NETWORK_FAILURE.test(output)) return 'Packaging failed: electron-builder stopped with the error shown above.';
  const what = /electron-v\d|SHASUMS256/.test(output)
    ? 'Electron'
    : /appimage/i.test(output)
      ? 'the AppImage tools'
      : /fpm/i.test(output)
        ? 'the deb tools (fpm)'
        : /nsis/i.test(output)
          ? 'the NSIS installer tools'
          : 'a packaging tool';
  return `Packaging failed because electron-builder could not download ${what} from the internet; see ${DOCS}, for packaging without one.`;
}

/** The optional package holding @napi-rs/keyring's binary for a target (glibc on Linux, MSVC on Windows). */
export function keyringBinaryPackage(platform: NodeJS.Platform, arch: string): string | null {
  const suffixes: Partial<Record<NodeJS.Platform, Record<string, string>>> = {
    darwin: { x64: 'darwin-x64', arm64: 'darwin-arm64' },
    win32: { x64: 'win32-x64-msvc', ia32: 'win32-ia32-msvc', arm64: 'win32-arm64-msvc' },
    linux: { x64: 'linux-x64-gnu', arm64: 'linux-arm64-gnu', arm: 'linux-arm-gnueabihf', armv7l: 'linux-arm-gnueabihf', riscv64: 'linux-riscv64-gnu' },
  };
  const suffix = suffixes[platform]?.[arch];
  return suffix ? `@napi-rs/keyring-${suffix}` : null;
}

/** Null when the keychain binary for the target is installed; else the sentence that stops packaging. */
export function keyringBinaryProblem(target: Pick<ElectronTarget, 'platform' | 'arch'>, nodeModules: string): string | null {
  const name = keyringBinaryPackage(target.platform, target.arch);
  if (name === null) return `Cannot package: the OS keychain module (@napi-rs/keyring) has no binary for ${target.platform}-${target.arch}.`;
  const local = join(nodeModules, '@napi-rs', 'keyring', `keyring.${name.slice('@napi-rs/keyring-'.length)}.node`);
  if (existsSync(join(nodeModules, name, 'package.json')) || existsSync(local)) return null;
  return (
    `Cannot package for ${target.platform}-${target.arch}: ${name} (the OS keychain's binary for it) is not installed, ` +
    `and the app would not be able to remember sign-ins; run \`npm install --no-save --force ${name}@${keyringVersion(nodeModules)}\` first (npm installs only this machine's binary).`
  );
}

function keyringVersion(nodeModules: string): string {
  try {
    return (JSON.parse(readFileSync(join(nodeModules, '@napi-rs', 'keyring', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'latest';
  }
}

const ARCH_SWITCHES: Record<string, string> = { x64: '--x64', arm64: '--arm64', ia32: '--ia32', armv7l: '--armv7l' };

function electronVersion(): string {
  const require = createRequire(join(repositoryRoot, 'package.json'));
  return (JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version;
}

function platformSwitch(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return '--mac';
  if (platform === 'win32') return '--win';
  return '--linux';
}

/** electron-builder's CLI with its output shown as it comes, and kept for the failure sentence. */
function runElectronBuilder(args: string[]): Promise<{ code: number; output: string }> {
  const require = createRequire(join(repositoryRoot, 'package.json'));
  const cli = join(dirname(require.resolve('electron-builder/package.json')), 'cli.js');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer, stream: NodeJS.WriteStream): void => {
      stream.write(chunk);
      output = (output + chunk.toString('utf8')).slice(-200_000);
    };
    child.stdout.on('data', (chunk: Buffer) => keep(chunk, process.stdout));
    child.stderr.on('data', (chunk: Buffer) => keep(chunk, process.stderr));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? 1, output }));
  });
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { 'electron-dist': { type: 'string' }, arch: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (error) {
    console.error(`${(error as Error).message} Usage: npm run dist [-- --electron-dist PATH] [--arch x64|arm64|ia32|armv7l]`);
    return 2;
  }
  if (values.help) {
    console.log('Usage: npm run dist [-- --electron-dist PATH] [--arch x64|arm64|ia32|armv7l]   (PATH: the Electron zip, a folder holding it, or an unpacked Electron; arch: this machine\'s by default)');
    return 0;
  }
  const arch = values.arch ?? process.arch;
  if (!ARCH_SWITCHES[arch]) {
    console.error(`Cannot package: --arch must be one of ${Object.keys(ARCH_SWITCHES).join(', ')}, not ${arch}.`);
    return 2;
  }

  const target: ElectronTarget = { version: electronVersion(), platform: process.platform, arch };
  const keyring = keyringBinaryProblem(target, join(repositoryRoot, 'node_modules'));
  if (keyring) {
    console.error(keyring);
    return 1;
  }
  const source = await findElectronSource({
    target,
    electronDist: values['electron-dist'] ?? process.env.PORTAL_ADMIN_ELECTRON_DIST,
    env: process.env,
    cacheRoot: defaultElectronCacheRoot(process.env, process.platform),
  });
  if (!source.ok) {
    console.error(source.sentence);
    return 1;
  }

  console.log('Building Portal Admin (electron-vite build)…');
  if (!buildElectron(repositoryRoot)) {
    console.error('Packaging stopped: the build failed (see above), and nothing was written to dist/.');
    return 1;
  }

  const args = [platformSwitch(process.platform), ARCH_SWITCHES[arch]!, '--publish', 'never'];
  if (source.electronDist) args.push(`-c.electronDist=${source.electronDist}`);
  const result = await runElectronBuilder(args);
  if (result.code !== 0) {
    console.error(failureSentence(result.output));
    return 1;
  }
  console.log(`Packaged into ${join(repositoryRoot, 'dist')}.`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`Packaging failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
