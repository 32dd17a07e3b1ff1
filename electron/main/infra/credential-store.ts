import { createRequire } from 'node:module';
import type { AsyncEntry, EntryOptions } from '@napi-rs/keyring';
import { IpcFailure } from '../../../common/ipc';

/** The keychain item's service name, as the user sees it in Keychain Access / Seahorse / Credential Manager. */
export const KEYCHAIN_SERVICE = 'Portal Admin';

/** `<portal origin>|<email>`: one remembered sign-in per portal and person. */
export function keychainAccount(portalOrigin: string, email: string): string {
  return `${portalOrigin}|${email.trim().toLowerCase()}`;
}

/**
 * The keytar API (`getPassword` / `setPassword` / `deletePassword`), which the rest of main is
 * written against. keytar itself is archived and needs a native rebuild per Electron version;
 * `@napi-rs/keyring` is N-API, so one binary serves Node and Electron.
 */
export interface CredentialStore {
  readonly kind: CredentialStoreKind;
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export type CredentialStoreKind = 'os' | 'memory';

export const KEYCHAIN_UNAVAILABLE_MESSAGE =
  'The system keychain cannot be reached. Unlock it (on Linux: start a Secret Service such as GNOME Keyring) and try again.';

/**
 * On Linux pin the Secret Service: @napi-rs/keyring's default silently falls back to the kernel
 * keyring, which forgets everything at reboot, so "remember me" would quietly not remember. With
 * the store pinned, a missing or locked keyring is an error the user can act on. (Ignored on
 * macOS and Windows, which have one store each.)
 *
 * Why not `@napi-rs/keyring/keytar`: its functions build `AsyncEntry` without options, i.e. with the
 * fallback; this module is the same three functions with the store pinned.
 */
const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };

/** What this module uses of `@napi-rs/keyring`. */
export interface KeyringModule {
  AsyncEntry: new (service: string, account: string, options?: EntryOptions) => AsyncEntry;
}

/**
 * `@napi-rs/keyring` is loaded on first use, not when the main bundle loads: its native binary is
 * an optional dependency per platform and architecture, and a package built without the right one
 * (an x64 build made on an arm64 Mac) would otherwise not start at all, even for people who never
 * ask to be remembered. A load failure becomes `keychain_unavailable`, like a locked keychain.
 */
export function loadKeyringModule(): KeyringModule {
  const require = createRequire(import.meta.url);
  return require('@napi-rs/keyring') as KeyringModule;
}

export interface OsStoreOptions {
  /** How the native module is loaded (a fake in tests). */
  loadKeyring?: () => KeyringModule;
  /** Told once why the keychain module could not be loaded (the native text, for the log). */
  onLoadFailure?: (error: unknown) => void;
}

function keyringLoader(options: OsStoreOptions): () => KeyringModule {
  let loaded: { module: KeyringModule } | { error: unknown } | null = null;
  return () => {
    if (loaded === null) {
      try {
        loaded = { module: (options.loadKeyring ?? loadKeyringModule)() };
      } catch (error) {
        loaded = { error };
        options.onLoadFailure?.(error);
      }
    }
    if ('error' in loaded) throw new IpcFailure('keychain_unavailable', KEYCHAIN_UNAVAILABLE_MESSAGE);
    return loaded.module;
  };
}

async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof IpcFailure) throw error;
    // The native error text names D-Bus internals; the user gets one plain sentence.
    throw new IpcFailure('keychain_unavailable', KEYCHAIN_UNAVAILABLE_MESSAGE);
  }
}

function createOsStore(options: OsStoreOptions): CredentialStore {
  const keyring = keyringLoader(options);
  const entryFor = (service: string, account: string): AsyncEntry => {
    const { AsyncEntry: Entry } = keyring();
    try {
      return new Entry(service, account, ENTRY_OPTIONS);
    } catch {
      throw new IpcFailure('keychain_unavailable', KEYCHAIN_UNAVAILABLE_MESSAGE);
    }
  };
  return {
    kind: 'os',
    getPassword: (service, account) => guarded(() => entryFor(service, account).getPassword()),
    setPassword: (service, account, password) => guarded(() => entryFor(service, account).setPassword(password)),
    deletePassword: (service, account) => guarded(() => entryFor(service, account).deletePassword()),
  };
}

/** For tests only: forgets everything when the process ends. */
function createMemoryStore(): CredentialStore {
  const items = new Map<string, string>();
  const key = (service: string, account: string) => `${service}\u0000${account}`;
  return {
    kind: 'memory',
    getPassword: async (service, account) => items.get(key(service, account)) ?? null,
    setPassword: async (service, account, password) => {
      items.set(key(service, account), password);
    },
    deletePassword: async (service, account) => items.delete(key(service, account)),
  };
}

/**
 * The OS keychain, or, only when asked for explicitly (`kind: 'memory'`, which `createServices`
 * also selects for `PORTAL_ADMIN_KEYCHAIN=memory` — a test-only switch), a store in memory.
 */
export function createCredentialStore(options: { kind: CredentialStoreKind } & OsStoreOptions): CredentialStore {
  return options.kind === 'memory' ? createMemoryStore() : createOsStore(options);
}

/** `PORTAL_ADMIN_KEYCHAIN=memory` (tests only) selects the in-memory store; anything else, the OS keychain. */
export function keychainKindFromEnvironment(environment: NodeJS.ProcessEnv = process.env): CredentialStoreKind {
  return environment.PORTAL_ADMIN_KEYCHAIN === 'memory' ? 'memory' : 'os';
}

export interface WriteTrackingCredentialStore extends CredentialStore {
  /** Resolves when no keychain write (set or delete) started before this call is still running. */
  whenWritesSettled(): Promise<void>;
}

/**
 * Wraps a store so quitting can wait for a keychain write in progress (a refresh token being
 * stored or removed): ending the process in the middle of one can leave a stale sign-in behind.
 */
export function trackKeychainWrites(store: CredentialStore): WriteTrackingCredentialStore {
  const pending = new Set<Promise<unknown>>();
  function track<T>(write: Promise<T>): Promise<T> {
    const settled = write.then(
      () => undefined,
      () => undefined,
    );
    pending.add(settled);
    void settled.then(() => pending.delete(settled));
    return write;
  }
  return {
    kind: store.kind,
    getPassword: (service, account) => store.getPassword(service, account),
    setPassword: (service, account, password) => track(store.setPassword(service, account, password)),
    deletePassword: (service, account) => track(store.deletePassword(service, account)),
    whenWritesSettled: async () => {
      await Promise.all([...pending]);
    },
  };
}
