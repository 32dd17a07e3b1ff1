import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../../electron/main/log';
import type { CredentialStore } from '../../../../electron/main/infra/credential-store';
import { createServices, type Services } from '../../../../electron/main/create-services';
import { REMEMBERED_SESSION_FILE_NAME } from '../../../../electron/main/services/remembered-session';
import { showOrOpenWindow, startDesktop, type WindowPresence } from '../../../../electron/main/shell/startup';

const PORTAL = 'https://portal.example.test';
const directories: string[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function profile(): string {
  const directory = mkdtempSync(join(tmpdir(), 'portal-admin-startup-'));
  directories.push(directory);
  return directory;
}

/** A keychain that has not answered yet (an unlock prompt the admin has not seen). */
function waitingKeychain() {
  const waiting: Array<(value: string | null) => void> = [];
  const store: CredentialStore = {
    kind: 'os',
    getPassword: () => new Promise((resolve) => waiting.push(resolve)),
    setPassword: async () => undefined,
    deletePassword: async () => true,
  };
  return { store, waiting };
}

describe('desktop start', () => {
  it('opens the window while a remembered sign-in is still being restored (a keychain prompt), without waiting for any timer', async () => {
    const userDataDir = profile();
    writeFileSync(join(userDataDir, REMEMBERED_SESSION_FILE_NAME), JSON.stringify({ version: 1, portalOrigin: PORTAL, email: 'admin@acme.test', signedInAt: Date.now() }));
    const keychain = waitingKeychain();
    // No timer fires in this test: a start that waited for the restore's time limit would never open the window.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });

    const steps: string[] = [];
    const services = await startDesktop<Services>({
      whenReady: async () => void steps.push('ready'),
      prepare: () => steps.push('prepare'),
      createServices: (timing) =>
        createServices({ userDataDir, portal: { url: PORTAL }, credentials: keychain.store, probeConnection: false, log: silentLogger, ...timing }),
      onServices: () => steps.push('services'),
      installMenu: () => steps.push('menu'),
      registerIpc: () => steps.push('ipc'),
      openWindow: () => steps.push('window'),
    });

    expect(steps).toEqual(['ready', 'prepare', 'services', 'menu', 'ipc', 'window']);
    expect(keychain.waiting).toHaveLength(1); // the restore is still asking the keychain
    expect(await services.auth.getState()).toMatchObject({ signedIn: false });

    keychain.waiting[0]!(null); // the keychain answers: nothing stored
    await services.dispose();
  });

  it('a second launch or the dock icon brings the window forward, or opens one when none is open (macOS)', () => {
    const calls: string[] = [];
    const presence = (isStarted: boolean, hasWindow: boolean): WindowPresence => ({
      isStarted: () => isStarted,
      hasWindow: () => hasWindow,
      openWindow: () => calls.push('open'),
      focusWindow: () => calls.push('focus'),
    });
    showOrOpenWindow(presence(true, true));
    expect(calls).toEqual(['focus']);
    showOrOpenWindow(presence(true, false));
    expect(calls).toEqual(['focus', 'open']);
    // Before the services are up there is nothing a window could talk to; the start opens it.
    showOrOpenWindow(presence(false, false));
    expect(calls).toEqual(['focus', 'open']);
  });
});

describe('services: dispose waits for work in progress, within a bound', () => {
  function slowWrites() {
    const releases: Array<() => void> = [];
    const store: CredentialStore = {
      kind: 'memory',
      getPassword: async () => null,
      setPassword: () => new Promise<void>((resolve) => releases.push(resolve)),
      deletePassword: async () => true,
    };
    return { store, releases };
  }

  it('waits for a keychain write in progress before it ends', async () => {
    const keychain = slowWrites();
    const services = await createServices({ userDataDir: profile(), portal: { url: PORTAL }, credentials: keychain.store, probeConnection: false, log: silentLogger });
    const write = services.credentials.setPassword('Portal Admin', 'account', 'refresh-token');
    let isDisposed = false;
    const disposed = services.dispose().then(() => {
      isDisposed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isDisposed).toBe(false);
    keychain.releases[0]!();
    await disposed;
    await write;
    expect(isDisposed).toBe(true);
  });

  it('gives up on a write that never ends after its bound', async () => {
    const keychain = slowWrites();
    const services = await createServices({
      userDataDir: profile(),
      portal: { url: PORTAL },
      credentials: keychain.store,
      probeConnection: false,
      log: silentLogger,
      disposeWaitMs: 50,
    });
    void services.credentials.setPassword('Portal Admin', 'account', 'refresh-token');
    await expect(services.dispose()).resolves.toBeUndefined();
    expect(keychain.releases).toHaveLength(1); // still unanswered
  });
});
