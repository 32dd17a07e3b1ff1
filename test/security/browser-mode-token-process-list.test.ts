import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ensureRendererBuilt } from '../support/browser-mode';
import { startTestPortal, type TestPortal } from '../support/portal';

/**
 * Attack: another local user reads the browser's command line in `/proc/<pid>/cmdline` (readable
 * by every user) while `npm run start:web -- --open` launches it, takes the access token from
 * the address there, and connects to the bridge before the real page does.
 *
 * The "browser" is a stand-in `xdg-open` first on PATH that records its own pid and waits, so the
 * test reads its command line from /proc the way the attacker would.
 */
const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
let portal: TestPortal;
let scratch: string;
let launcher: ChildProcess | null = null;

beforeAll(async () => {
  ensureRendererBuilt();
  portal = await startTestPortal();
  scratch = mkdtempSync(join(tmpdir(), 'portal-admin-open-test-'));
}, 120_000);
afterAll(async () => {
  launcher?.kill('SIGTERM');
  await portal.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function waitFor<T>(read: () => T | null, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Tries a token on the bridge as a page would: true when the host welcomes it. */
function tryToken(origin: string, token: string): Promise<boolean> {
  return new Promise((done) => {
    const socket = new WebSocket(`${origin.replace('http:', 'ws:')}/bridge`, { origin });
    socket.on('open', () => socket.send(JSON.stringify({ type: 'hello', token })));
    socket.on('message', (data: Buffer) => {
      done((JSON.parse(data.toString('utf8')) as { type?: string }).type === 'welcome');
      socket.close();
    });
    socket.on('close', () => done(false));
    socket.on('error', () => done(false));
  });
}

describe('attack: token from the process list', () => {
  it('--open puts no token on the browser’s command line, only a 0600 file that redirects', async () => {
    const bin = join(scratch, 'bin');
    const pidFile = join(scratch, 'browser.pid');
    mkdirSync(bin);
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\necho $$ > "${pidFile}"\nsleep 60\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);

    const output: string[] = [];
    launcher = spawn(
      process.execPath,
      [join(repositoryRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(repositoryRoot, 'scripts', 'start-web.ts'), '--open', '--portal-url', portal.url, '--portal-ca', portal.tls.certPath, '--profile', join(scratch, 'profile')],
      { cwd: repositoryRoot, env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, PORTAL_ADMIN_KEYCHAIN: 'memory' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    launcher.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    launcher.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));

    const origin = await waitFor(() => /Portal Admin \(browser mode\): (http:\/\/127\.0\.0\.1:\d+)\//.exec(output.join(''))?.[1] ?? null, 'the launcher to print its address');
    const browserPid = await waitFor(() => (existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '' ? readFileSync(pidFile, 'utf8').trim() : null), 'the browser to start');

    // What any local user can read.
    const commandLine = readFileSync(`/proc/${browserPid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const candidates = commandLine.join(' ').match(/[A-Za-z0-9_-]{43}/g) ?? [];
    for (const candidate of candidates) expect(await tryToken(origin, candidate)).toBe(false);
    expect(commandLine.join(' ')).not.toContain('token=');

    // What the browser got instead: a file only this user can read, which leads to the app.
    const file = commandLine.at(-1)!;
    expect(file.startsWith('/')).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o077).toBe(0);
    const token = /#token=([A-Za-z0-9_-]{43})/.exec(readFileSync(file, 'utf8'))?.[1];
    expect(token).toBeDefined();
    expect(await tryToken(origin, token!)).toBe(true);

    process.kill(Number(browserPid), 'SIGTERM');
  }, 120_000);
});
