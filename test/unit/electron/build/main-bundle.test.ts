/**
 * The built main bundle (out/main/index.cjs, exactly what the app runs) started in plain Node with
 * a stand-in for Electron (stand-in-electron.mjs; the binary cannot be installed here): what a
 * first launch does on each desktop, from the bundle's own wiring rather than from the functions
 * it is made of.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron, isElectronBuildStale } from '../../../../scripts/electron-build';
import { repositoryRoot } from './support';

interface StandInEvent {
  event: string;
  [key: string]: unknown;
}

interface RunningBundle {
  events: StandInEvent[];
  send(command: Record<string, unknown>): void;
  waitFor(event: string, predicate?: (found: StandInEvent) => boolean): Promise<StandInEvent>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  child: ChildProcessWithoutNullStreams;
  stderr: () => string;
}

const running: RunningBundle[] = [];
const directories: string[] = [];

function profile(): string {
  const directory = mkdtempSync(join(tmpdir(), 'portal-admin-bundle-'));
  directories.push(directory);
  return directory;
}

function rememberSignIn(userDataDir: string, portalOrigin: string): void {
  writeFileSync(join(userDataDir, 'remembered-session.json'), JSON.stringify({ version: 1, portalOrigin, email: 'admin@acme.test', signedInAt: Date.now() }));
}

function startBundle(env: Record<string, string>, args: string[] = []): RunningBundle {
  const child = spawn(process.execPath, ['--import', join(import.meta.dirname, 'stand-in-electron.mjs'), join(repositoryRoot, 'out', 'main', 'index.cjs'), ...args], {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  const events: StandInEvent[] = [];
  const waiters: Array<() => void> = [];
  let stderr = '';
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.startsWith('STAND-IN ')) events.push(JSON.parse(line.slice('STAND-IN '.length)) as StandInEvent);
    }
    for (const waiter of waiters.splice(0)) waiter();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const bundle: RunningBundle = {
    events,
    child,
    exited,
    stderr: () => stderr,
    send: (command) => child.stdin.write(`${JSON.stringify(command)}\n`),
    waitFor(event, predicate = () => true) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = events.find((candidate) => candidate.event === event && predicate(candidate));
          if (found) resolve(found);
          return found !== undefined;
        };
        if (check()) return;
        const retry = (): void => {
          if (!check()) waiters.push(retry);
        };
        waiters.push(retry);
        void exited.then(() => {
          if (!check()) reject(new Error(`the bundle ended before "${event}": ${JSON.stringify(events)}\n${stderr}`));
        });
      });
    },
  };
  running.push(bundle);
  return bundle;
}

beforeAll(() => {
  if (isElectronBuildStale(repositoryRoot) && !buildElectron(repositoryRoot, { quiet: true })) throw new Error('electron-vite build failed');
}, 120_000);

afterEach(async () => {
  for (const bundle of running.splice(0)) {
    if (bundle.child.exitCode === null && bundle.child.signalCode === null) {
      bundle.child.kill('SIGKILL');
      await bundle.exited;
    }
  }
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const logText = (userDataDir: string): string =>
  readdirSync(join(userDataDir, 'logs'))
    .map((name) => readFileSync(join(userDataDir, 'logs', name), 'utf8'))
    .join('\n');

const names = (bundle: RunningBundle) => bundle.events.map((found) => found.event);

describe('the main bundle on a first launch (stand-in Electron)', () => {
  it('starts without the keychain’s native binary: the window opens, the remembered sign-in is just not restored', async () => {
    const userDataDir = profile();
    rememberSignIn(userDataDir, 'https://portal.example.test');
    const bundle = startBundle({ STAND_IN_USER_DATA: userDataDir, STAND_IN_KEYRING: 'missing' }, ['--portal-url=https://portal.example.test']);
    await bundle.waitFor('window.show');
    await bundle.waitFor('keyring.load-failed');
    bundle.send({ do: 'invoke', channel: 'auth:get-state', payload: {} });
    const state = await bundle.waitFor('ipc.result', (found) => found.channel === 'auth:get-state');
    expect(state.result).toMatchObject({ ok: true, value: { signedIn: false } });
    expect(names(bundle)).not.toContain('dialog.showErrorBox');
    expect(bundle.child.exitCode).toBeNull();
    expect(logText(userDataDir)).toContain('the system keychain module could not be loaded');
  });

  it('opens the window while the keychain has not answered the restore yet, and only shows it when the page is ready', async () => {
    const userDataDir = profile();
    rememberSignIn(userDataDir, 'https://portal.example.test');
    const bundle = startBundle({ STAND_IN_USER_DATA: userDataDir, STAND_IN_KEYRING: 'waiting' }, ['--portal-url=https://portal.example.test']);
    await bundle.waitFor('window.show');
    bundle.send({ do: 'state' });
    expect(await bundle.waitFor('state')).toMatchObject({ windows: 1, visible: 1, ipcChannels: expect.any(Number) as unknown, waitingKeychainReads: 1 });
    const order = names(bundle);
    expect(order.indexOf('keyring.getPassword')).toBeLessThan(order.indexOf('window.create'));
    expect(order.indexOf('Menu.setApplicationMenu')).toBeLessThan(order.indexOf('window.create'));
    expect(bundle.events.find((found) => found.event === 'window.create')).toMatchObject({ show: false, sandbox: true });
    bundle.send({ do: 'answer-keychain', value: null });
  });

  it('registers app:// with the code cache before anything else uses it', async () => {
    const bundle = startBundle({ STAND_IN_USER_DATA: profile() });
    const registered = await bundle.waitFor('protocol.registerSchemesAsPrivileged');
    expect(registered.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
  });

  it('restores a maximised window without showing it before the page is ready', async () => {
    const userDataDir = profile();
    writeFileSync(join(userDataDir, 'window-state.json'), JSON.stringify({ version: 1, bounds: { x: 40, y: 30, width: 1000, height: 700 }, isMaximized: true }));
    const bundle = startBundle({ STAND_IN_USER_DATA: userDataDir });
    await bundle.waitFor('window.show');
    // maximize() shows a hidden window: only once the page has painted, never before.
    expect(bundle.events.find((found) => found.event === 'window.maximize')).toEqual({ event: 'window.maximize', wasVisible: false, isPageReady: true });
  });

  it('macOS: with every window closed the app keeps running, and a second launch opens a window', async () => {
    const bundle = startBundle({ STAND_IN_USER_DATA: profile(), STAND_IN_PLATFORM: 'darwin' });
    await bundle.waitFor('window.show');
    bundle.send({ do: 'close-windows' });
    await bundle.waitFor('window.closed');
    bundle.send({ do: 'emit-app', event: 'second-instance' });
    await bundle.waitFor('window.create', () => bundle.events.filter((found) => found.event === 'window.create').length === 2);
    bundle.send({ do: 'emit-app', event: 'activate' }); // the dock icon with a window open: no third window
    bundle.send({ do: 'state' });
    expect(await bundle.waitFor('state')).toMatchObject({ windows: 1 });
    expect(names(bundle)).not.toContain('app.quit');
  });

  it('Ctrl-C from npm start (SIGINT) quits through the services’ shutdown, not by dying on the signal', async () => {
    const bundle = startBundle({ STAND_IN_USER_DATA: profile() });
    await bundle.waitFor('window.show');
    // Twice, as in a terminal: Ctrl-C signals the whole process group, and npm start forwards it too.
    bundle.child.kill('SIGINT');
    bundle.child.kill('SIGINT');
    expect(await bundle.exited).toEqual({ code: 0, signal: null });
    const order = names(bundle);
    expect(order).toContain('app.quit-held'); // held for dispose(), then quit for real
    expect(order.at(-2)).toBe('app.ended');
  });

  it('packaged: a portal from a switch is proposed to the window, not used or saved', async () => {
    const userDataDir = profile();
    const bundle = startBundle({ STAND_IN_USER_DATA: userDataDir, STAND_IN_PACKAGED: '1' }, ['--portal-url=https://evil.test', '--demo-portal']);
    await bundle.waitFor('window.show');
    bundle.send({ do: 'invoke', channel: 'settings:get', payload: {} });
    expect((await bundle.waitFor('ipc.result', (found) => found.channel === 'settings:get')).result).toMatchObject({ ok: true, value: { portalUrl: null, isDemoPortal: false } });
    bundle.send({ do: 'invoke', channel: 'settings:get-launch-portal', payload: {} });
    expect((await bundle.waitFor('ipc.result', (found) => found.channel === 'settings:get-launch-portal')).result).toEqual({
      ok: true,
      value: { portalUrl: 'https://evil.test', caFile: null, caFingerprints: [], caProblem: null, currentPortalUrl: null },
    });
    expect(readdirSync(userDataDir)).not.toContain('settings.json');
  });

  it('privacy mode: the window is kept out of screen capture before it shows, follows the setting, and a screen lock reaches the page', async () => {
    const userDataDir = profile();
    writeFileSync(
      join(userDataDir, 'settings.json'),
      JSON.stringify({ version: 1, portalUrl: null, caFile: null, certificatePin: null, rememberMe: false, isDemoPortal: false, privacyMode: true }),
    );
    const bundle = startBundle({ STAND_IN_USER_DATA: userDataDir, STAND_IN_PLATFORM: 'win32' });
    await bundle.waitFor('window.show');
    const protections = () => bundle.events.filter((found) => found.event === 'window.setContentProtection');
    expect(protections()).toEqual([{ event: 'window.setContentProtection', enabled: true, wasVisible: false }]);
    bundle.send({ do: 'invoke', channel: 'settings:set-privacy-mode', payload: { isOn: false } });
    expect((await bundle.waitFor('ipc.result', (found) => found.channel === 'settings:set-privacy-mode')).result).toMatchObject({ ok: true, value: { privacyMode: false } });
    expect(protections().at(-1)).toMatchObject({ enabled: false });
    expect(JSON.parse(readFileSync(join(userDataDir, 'settings.json'), 'utf8'))).toMatchObject({ privacyMode: false });
    bundle.send({ do: 'emit-power', event: 'lock-screen' });
    expect(await bundle.waitFor('webContents.send', (found) => JSON.stringify(found).includes('privacy:screen-locked'))).toMatchObject({ payload: { reason: 'lock-screen' } });
    bundle.send({ do: 'emit-power', event: 'suspend' });
    await bundle.waitFor('webContents.send', (found) => JSON.stringify(found).includes('"suspend"'));
  });

  it('Windows log-off (session-end, no before-quit) shuts the services down', async () => {
    const userDataDir = profile();
    const bundle = startBundle({ STAND_IN_USER_DATA: userDataDir, STAND_IN_PLATFORM: 'win32' });
    await bundle.waitFor('window.show');
    bundle.send({ do: 'session-end' });
    await expect.poll(() => logText(userDataDir)).toContain('services: stopped');
    expect(logText(userDataDir)).toContain('The session is ending');
    // Shut down already: the quit that follows has nothing left to wait for.
    bundle.send({ do: 'quit' });
    expect(await bundle.exited).toEqual({ code: 0, signal: null });
    expect(names(bundle)).not.toContain('app.quit-held');
  });
});

describe('the import’s check worker in the built bundle', () => {
  it('the bundle loads the worker’s path from a file electron-vite emitted beside it, and that worker checks a file', async () => {
    const bundleFile = join(repositoryRoot, 'out', 'main', 'index.cjs');
    // `?modulePath`: the bundle requires a small module that answers the worker file's path.
    const reference = /require\("(\.\/chunks\/check-worker-[\w-]+\.cjs)"\)/.exec(readFileSync(bundleFile, 'utf8'));
    expect(reference?.[1]).toBeDefined();
    const workerFile = (createRequire(bundleFile)(reference![1]!) as { default: string }).default;
    expect(dirname(workerFile)).toBe(join(repositoryRoot, 'out', 'main', 'chunks'));
    expect(existsSync(workerFile)).toBe(true);

    const worker = new Worker(workerFile);
    try {
      const employee = { id: 'acme-0101', firstName: 'Jane', lastName: 'Doe', email: 'jane.doe@acme.test', cellPhone: null, version: 3 };
      const messages: { type: string; [key: string]: unknown }[] = [];
      const checked = await new Promise<{ unchanged: number; changes: { rows: Uint32Array; answer: Uint32Array; item: Uint32Array; first: { bytes: Uint8Array } }; errors: { bytes: Uint8Array; ends: Uint32Array } }>((resolve, reject) => {
        worker.on('message', (message: { type: string; [key: string]: unknown }) => {
          messages.push(message);
          if (message.type === 'ready') {
            const file = new TextEncoder().encode('Email,Cell phone number\r\nJane.Doe@acme.test,(917) 555-0123\r\nnobody@acme.test,020 7946 0000\r\n');
            worker.postMessage({ type: 'check', bytes: file.buffer, companyCountry: 'US' }, [file.buffer]);
          }
          if (message.type === 'lookups') {
            // POST /employees/lookup/columns: one array per field.
            const answer = new TextEncoder().encode(JSON.stringify({ ids: [employee.id], firstNames: [employee.firstName], lastNames: [employee.lastName], emails: [employee.email], cellPhones: [employee.cellPhone], versions: [employee.version] }));
            worker.postMessage({ type: 'answer', index: 0, bytes: answer.buffer }, [answer.buffer]);
          }
          if (message.type === 'checked') resolve(message['result'] as never);
          if (message.type === 'problem' || message.type === 'failed') reject(new Error(JSON.stringify(message)));
        });
        worker.once('error', reject);
      });
      expect(messages.find((message) => message.type === 'lookups')).toEqual({ type: 'lookups', bodies: [JSON.stringify({ ids: [], emails: ['jane.doe@acme.test', 'nobody@acme.test'] })], keyCounts: [2] });
      expect(checked.unchanged).toBe(0);
      expect(JSON.parse(`[${new TextDecoder().decode(checked.changes.first.bytes)}]`)).toEqual([[2, '+19175550123', null, employee]]);
      // The change's employee is the first item of the first answer (which main keeps).
      expect([...checked.changes.rows, ...checked.changes.answer, ...checked.changes.item]).toEqual([2, 0, 0]);
      expect(JSON.parse(`[${new TextDecoder().decode(checked.errors.bytes)}]`)).toMatchObject([{ row: 3, code: 'unknown_email' }]);
    } finally {
      await worker.terminate();
    }
  });
});
