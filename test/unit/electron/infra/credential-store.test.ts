import { describe, expect, it, vi } from 'vitest';
import { IpcFailure } from '../../../../common/ipc';
import {
  createCredentialStore,
  KEYCHAIN_SERVICE,
  loadKeyringModule,
  trackKeychainWrites,
  type CredentialStore,
  type KeyringModule,
} from '../../../../electron/main/infra/credential-store';

/** What Node throws when a package was built without the keychain binary for its platform. */
function missingBinding(): never {
  throw new Error('Cannot find native binding. npm has a bug related to optional dependencies (https://github.com/npm/cli/issues/4828).');
}

describe('credential store: the keychain module is loaded on first use', () => {
  it('creating the OS store loads nothing; a missing native binary is keychain_unavailable, not a crash', async () => {
    const loadKeyring = vi.fn(missingBinding);
    const onLoadFailure = vi.fn();
    const store = createCredentialStore({ kind: 'os', loadKeyring, onLoadFailure });
    expect(loadKeyring).not.toHaveBeenCalled();

    const failure = await store.getPassword(KEYCHAIN_SERVICE, 'https://portal.example|a@b.test').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(IpcFailure);
    expect(failure).toMatchObject({ code: 'keychain_unavailable' });
    expect((failure as Error).message).not.toMatch(/native binding|npm/);
    await expect(store.setPassword(KEYCHAIN_SERVICE, 'x', 'token')).rejects.toMatchObject({ code: 'keychain_unavailable' });
    await expect(store.deletePassword(KEYCHAIN_SERVICE, 'x')).rejects.toMatchObject({ code: 'keychain_unavailable' });
    // Tried once and logged once, not at every call.
    expect(loadKeyring).toHaveBeenCalledOnce();
    expect(onLoadFailure).toHaveBeenCalledOnce();
    expect(String(onLoadFailure.mock.calls[0]![0])).toMatch(/native binding/);
  });

  it('uses the loaded module with the Secret Service pinned', async () => {
    const made: unknown[] = [];
    const keyring: KeyringModule = {
      AsyncEntry: class {
        constructor(...args: unknown[]) {
          made.push(args);
        }
        getPassword = async () => 'stored';
      } as unknown as KeyringModule['AsyncEntry'],
    };
    const store = createCredentialStore({ kind: 'os', loadKeyring: () => keyring });
    await expect(store.getPassword(KEYCHAIN_SERVICE, 'account')).resolves.toBe('stored');
    expect(made).toEqual([[KEYCHAIN_SERVICE, 'account', { linux: { store: 'secret-service' } }]]);
  });

  it('the default loader finds @napi-rs/keyring where its binary is installed', () => {
    expect(typeof loadKeyringModule().AsyncEntry).toBe('function');
  });
});

describe('credential store: keychain writes can be waited for', () => {
  function slowStore() {
    const releases: Array<() => void> = [];
    const inner: CredentialStore = {
      kind: 'memory',
      getPassword: async () => null,
      setPassword: () => new Promise<void>((resolve) => releases.push(resolve)),
      deletePassword: () => new Promise<boolean>((resolve) => releases.push(() => resolve(true))),
    };
    return { inner, releaseAll: () => releases.splice(0).forEach((release) => release()) };
  }

  it('whenWritesSettled waits for a set and a delete in progress, and resolves at once when none is', async () => {
    const { inner, releaseAll } = slowStore();
    const store = trackKeychainWrites(inner);
    await expect(store.whenWritesSettled()).resolves.toBeUndefined();

    const writes = [store.setPassword(KEYCHAIN_SERVICE, 'a', 'token'), store.deletePassword(KEYCHAIN_SERVICE, 'b')];
    let isSettled = false;
    const settled = store.whenWritesSettled().then(() => {
      isSettled = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(isSettled).toBe(false);
    releaseAll();
    await settled;
    expect(isSettled).toBe(true);
    await expect(Promise.all(writes)).resolves.toEqual([undefined, true]);
  });

  it('a failed write still counts as settled, and its error still reaches the caller', async () => {
    const store = trackKeychainWrites({
      kind: 'os',
      getPassword: async () => null,
      setPassword: async () => {
        throw new IpcFailure('keychain_unavailable', 'locked');
      },
      deletePassword: async () => false,
    });
    await expect(store.setPassword(KEYCHAIN_SERVICE, 'a', 'token')).rejects.toMatchObject({ code: 'keychain_unavailable' });
    await expect(store.whenWritesSettled()).resolves.toBeUndefined();
  });
});
