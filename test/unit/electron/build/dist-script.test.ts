/**
 * `npm run dist` where Electron cannot be downloaded: one plain sentence, at once, before any build.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  defaultElectronCacheRoot,
  electronCachePath,
  electronDownloadBase,
  electronDownloadUrl,
  electronZipName,
  failureSentence,
  findElectronSource,
  isElectronCachedOffline,
  type ElectronTarget,
} from '../../../../scripts/dist';
import { repositoryRoot } from './support';

const target: ElectronTarget = { version: '45.5.0', platform: 'linux', arch: 'x64' };
let scratch: string | undefined;
const newScratch = (): string => (scratch = mkdtempSync(join(tmpdir(), 'portal-admin-dist-')));
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

describe('npm run dist: where Electron comes from', () => {
  it('knows the zip name and @electron/get’s cache folder on each platform', () => {
    expect(electronZipName(target)).toBe('electron-v45.5.0-linux-x64.zip');
    expect(defaultElectronCacheRoot({}, 'linux', '/home/ada')).toBe(join('/home/ada', '.cache', 'electron'));
    expect(defaultElectronCacheRoot({ XDG_CACHE_HOME: '/cache' }, 'linux', '/home/ada')).toBe(join('/cache', 'electron'));
    expect(defaultElectronCacheRoot({}, 'darwin', '/Users/ada')).toBe(join('/Users/ada', 'Library', 'Caches', 'electron'));
    expect(defaultElectronCacheRoot({ LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }, 'win32', 'C:\\Users\\ada')).toBe(join('C:\\Users\\ada\\AppData\\Local', 'electron', 'Cache'));
    expect(electronDownloadBase({})).toBe('https://github.com/electron/electron/releases/download/');
    expect(electronDownloadBase({ ELECTRON_MIRROR: 'https://mirror.example/electron/' })).toBe('https://mirror.example/electron/');
  });

  it('a cached zip counts only where @electron/get looks, and with its checksum list seeded at the cache root', () => {
    const cache = newScratch();
    expect(isElectronCachedOffline(join(cache, 'missing'), target)).toBe(false);
    const url = electronDownloadUrl({}, target);
    expect(url).toBe('https://github.com/electron/electron/releases/download/v45.5.0/electron-v45.5.0-linux-x64.zip');
    // @electron/get's Cache.getCacheDirectory: SHA-256 of the URL without its file name.
    const cached = electronCachePath(cache, url);
    expect(cached).toBe(join(cache, '3b240e2bf8f7a3bdbf4436b08f324ce6cefbc1d217c9b8ec4db54ca8fa1ca8de', 'electron-v45.5.0-linux-x64.zip'));
    mkdirSync(join(cache, 'elsewhere'));
    writeFileSync(join(cache, 'elsewhere', electronZipName(target)), 'zip');
    writeFileSync(join(cache, 'SHASUMS256.txt-45.5.0'), `${'0'.repeat(64)} *electron-v45.5.0-linux-x64.zip\n`);
    expect(isElectronCachedOffline(cache, target)).toBe(false);
    mkdirSync(dirname(cached));
    writeFileSync(cached, 'zip');
    expect(isElectronCachedOffline(cache, target)).toBe(true);
    writeFileSync(join(cache, 'SHASUMS256.txt-45.5.0'), `${'0'.repeat(64)} *electron-v45.5.0-darwin-arm64.zip\n`);
    expect(isElectronCachedOffline(cache, target)).toBe(false);
    // Another mirror, another folder.
    expect(isElectronCachedOffline(cache, target, { ELECTRON_MIRROR: 'https://mirror.example/electron/' })).toBe(false);
  });

  it('--electron-dist: a zip or a folder is used as given; a missing path or another file is one sentence', async () => {
    const folder = newScratch();
    const zip = join(folder, electronZipName(target));
    writeFileSync(zip, 'zip');
    writeFileSync(join(folder, 'notes.txt'), '');
    const probe = vi.fn(async () => false);
    const base = { target, env: {}, cacheRoot: join(folder, 'cache'), probe };
    expect(await findElectronSource({ ...base, electronDist: zip })).toEqual({ ok: true, electronDist: zip });
    expect(await findElectronSource({ ...base, electronDist: folder })).toEqual({ ok: true, electronDist: folder });
    expect(await findElectronSource({ ...base, electronDist: join(folder, 'nope.zip') })).toEqual({
      ok: false,
      sentence: `Cannot package: the Electron given with --electron-dist (${join(folder, 'nope.zip')}) does not exist.`,
    });
    expect(await findElectronSource({ ...base, electronDist: join(folder, 'notes.txt') })).toMatchObject({ ok: false, sentence: expect.stringMatching(/^Cannot package: --electron-dist must be electron-v45\.5\.0-linux-x64\.zip/) });
    expect(probe).not.toHaveBeenCalled();
  });

  it('nothing local: the download host is probed; unreachable is one sentence naming the zip and the way out', async () => {
    const cache = newScratch();
    const unreachable = await findElectronSource({ target, env: {}, cacheRoot: cache, probe: async () => false });
    expect(unreachable).toEqual({
      ok: false,
      sentence:
        `Cannot package: Electron 45.5.0 for linux-x64 is not in the local cache (${cache}) and github.com cannot be reached, ` +
        'so download electron-v45.5.0-linux-x64.zip where the internet is available and run ' +
        '`npm run dist -- --electron-dist /path/to/electron-v45.5.0-linux-x64.zip` (see README.md, "Install and package").',
    });
    const probe = vi.fn(async () => true);
    expect(await findElectronSource({ target, env: { ELECTRON_MIRROR: 'https://mirror.example/e/' }, cacheRoot: cache, probe })).toEqual({ ok: true });
    expect(probe).toHaveBeenCalledWith('https://mirror.example/e/v45.5.0/electron-v45.5.0-linux-x64.zip');
    // Behind a proxy only electron-builder can tell: it is let through without a probe.
    const notAsked = vi.fn(async () => false);
    expect(await findElectronSource({ target, env: { HTTPS_PROXY: 'http://proxy:3128' }, cacheRoot: cache, probe: notAsked })).toEqual({ ok: true });
    expect(notAsked).not.toHaveBeenCalled();
  });

  it('a later failed download (the AppImage, deb or NSIS tools) is one sentence too; other failures point at the error', () => {
    expect(failureSentence('⨯ getaddrinfo ENOTFOUND github.com ... appimage-tools-runtime')).toBe(
      'Packaging failed because electron-builder could not download the AppImage tools from the internet; see README.md, "Install and package", for packaging without one.',
    );
    expect(failureSentence('fpm ... connect ECONNREFUSED')).toMatch(/could not download the deb tools \(fpm\)/);
    expect(failureSentence('nsis-3.0.4.1 ... ETIMEDOUT')).toMatch(/could not download the NSIS installer tools/);
    expect(failureSentence('SHASUMS256.txt ... EAI_AGAIN')).toMatch(/could not download Electron/);
    expect(failureSentence('Error: Unable to read header size')).toBe('Packaging failed: electron-builder stopped with the error shown above.');
  });

  it('run offline for real: exit 1 within seconds, nothing on stdout, exactly one line on stderr, no build started', () => {
    const home = newScratch();
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (!/proxy|^ELECTRON_|^npm_config_electron|^PORTAL_ADMIN_ELECTRON_DIST$/i.test(name)) env[name] = value;
    }
    Object.assign(env, {
      HOME: home,
      XDG_CACHE_HOME: join(home, '.cache'),
      LOCALAPPDATA: join(home, 'AppData', 'Local'),
      // A closed local port: "unreachable" on any machine, with or without internet.
      ELECTRON_MIRROR: 'http://127.0.0.1:9/',
    });
    const started = Date.now();
    const result = spawnSync(process.execPath, ['--import', 'tsx', join('scripts', 'dist.ts')], { cwd: repositoryRoot, env, encoding: 'utf8', timeout: 30_000 });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Cannot package: Electron \d+\.\d+\.\d+ for [a-z0-9]+-[a-z0-9]+ is not in the local cache \(.+\) and 127\.0\.0\.1:9 cannot be reached, so download electron-v.+\.zip .+\(see README\.md, "Install and package"\)\.$/);
  });
});
