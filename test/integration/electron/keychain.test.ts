import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredentialStore, keychainAccount, KEYCHAIN_SERVICE } from '../../../electron/main/infra/credential-store';
import { startTestPortal, type TestPortal } from '../../support/portal';
import { failPlainlyIfTheDaemonDies } from '../../support/secret-service';
import { ACCOUNTS, servicesFor, signIn } from './support';

/**
 * Against the real Secret Service (gnome-keyring in a private D-Bus session): `npm test` starts
 * one and sets PORTAL_ADMIN_SECRET_SERVICE=1. Without it these tests skip, saying why.
 */
const hasSecretService = process.env.PORTAL_ADMIN_SECRET_SERVICE === '1';
if (!hasSecretService) {
  console.warn(
    'keychain tests skipped: PORTAL_ADMIN_SECRET_SERVICE is not set, so no Secret Service is running for this process. ' +
      'Run `npm test`, or `bash scripts/with-keyring.sh npx vitest run test/integration/electron`.',
  );
}

describe.skipIf(!hasSecretService)('keychain: the real Secret Service', () => {
  // A daemon that dies under a test (scripts/with-keyring.sh starts another) is named as the cause.
  failPlainlyIfTheDaemonDies();
  let portal: TestPortal;
  let directory: string;
  const origin = () => new URL(portal.url).origin;

  beforeAll(async () => {
    portal = await startTestPortal();
    directory = mkdtempSync(join(tmpdir(), 'portal-admin-keychain-profile-'));
  }, 60_000);
  afterAll(async () => {
    await portal.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('round trip: set, read, overwrite, delete', async () => {
    const store = createCredentialStore({ kind: 'os' });
    const account = keychainAccount(`https://round-trip-${randomUUID()}.test`, 'Someone@Example.test');
    expect(account).toMatch(/\|someone@example\.test$/);
    expect(await store.getPassword(KEYCHAIN_SERVICE, account)).toBeNull();
    await store.setPassword(KEYCHAIN_SERVICE, account, 'first-value');
    expect(await store.getPassword(KEYCHAIN_SERVICE, account)).toBe('first-value');
    await store.setPassword(KEYCHAIN_SERVICE, account, 'second-value');
    expect(await store.getPassword(KEYCHAIN_SERVICE, account)).toBe('second-value');
    expect(await store.deletePassword(KEYCHAIN_SERVICE, account)).toBe(true);
    expect(await store.getPassword(KEYCHAIN_SERVICE, account)).toBeNull();
    expect(await store.deletePassword(KEYCHAIN_SERVICE, account)).toBe(false);
  });

  it('without remember-me nothing is stored', async () => {
    const handle = await servicesFor(portal, { keychain: 'os', directory });
    try {
      await signIn(portal, handle.services, 'tech', false);
      expect(await handle.services.credentials.getPassword(KEYCHAIN_SERVICE, keychainAccount(origin(), ACCOUNTS.tech.email))).toBeNull();
      await handle.services.auth.signOut();
    } finally {
      await handle.close();
    }
  });

  it('remember-me survives a restart of the services, and sign-out removes the entry', async () => {
    const account = keychainAccount(origin(), ACCOUNTS.admin.email);
    const first = await servicesFor(portal, { keychain: 'os', directory });
    let stored: string | null;
    try {
      await signIn(portal, first.services, 'admin', true);
      stored = await first.services.credentials.getPassword(KEYCHAIN_SERVICE, account);
      expect(stored).toMatch(/^[A-Za-z0-9_-]{43}$/);
    } finally {
      await first.close();
    }

    // A restart: new services, same profile folder, the same OS keychain.
    const second = await servicesFor(portal, { keychain: 'os', directory });
    try {
      expect(await second.services.auth.getState()).toMatchObject({ signedIn: true, user: { email: ACCOUNTS.admin.email } });
      await expect(second.services.employees.list({ limit: 1 })).resolves.toMatchObject({ total: expect.any(Number) as unknown });
      const rotated = await second.services.credentials.getPassword(KEYCHAIN_SERVICE, account);
      expect(rotated).toBeTruthy();
      expect(rotated).not.toBe(stored); // the restore spent the stored token and kept its successor
      await expect(second.services.auth.signOut()).resolves.toEqual({ revokedOnPortal: true, notCleared: [] });
      expect(await second.services.credentials.getPassword(KEYCHAIN_SERVICE, account)).toBeNull();
    } finally {
      await second.close();
    }

    const third = await servicesFor(portal, { keychain: 'os', directory });
    try {
      expect((await third.services.auth.getState()).signedIn).toBe(false);
    } finally {
      await third.close();
    }
  });
});

describe.skipIf(process.platform !== 'linux')('keychain: no Secret Service', () => {
  it('is a clear keychain_unavailable error, never a silent fallback to another store', () => {
    const directory = mkdtempSync(join(tmpdir(), 'portal-admin-no-keyring-'));
    try {
      const script = join(directory, 'probe.mts');
      const module = resolve('electron/main/infra/credential-store.ts');
      writeFileSync(
        script,
        `import { createCredentialStore } from ${JSON.stringify(module)};
const store = createCredentialStore({ kind: 'os' });
const outcome = await store.setPassword('Portal Admin (test)', 'probe|x', 'value').then(() => ({ stored: true }), (error) => ({ code: error.code, message: error.message }));
console.log(JSON.stringify(outcome));`,
      );
      const result = spawnSync(resolve('node_modules/.bin/tsx'), [script], {
        encoding: 'utf8',
        env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(directory, 'no-bus')}`, PORTAL_ADMIN_SECRET_SERVICE: '' },
        timeout: 30_000,
      });
      const outcome = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as { code?: string; message?: string; stored?: boolean };
      expect(outcome.stored).toBeUndefined();
      expect(outcome.code).toBe('keychain_unavailable');
      expect(outcome.message).toMatch(/keychain cannot be reached/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
