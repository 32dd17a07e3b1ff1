import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCredentialStore, type CredentialStore } from '../../../electron/main/infra/credential-store';
import type { CreateServicesOptions, Services } from '../../../electron/main/create-services';
import { keychainForTests } from '../../support/browser-mode';
import type { TestPortal } from '../../support/portal';
import { ACCOUNTS, servicesFor, signIn, type ServicesHandle } from '../../integration/electron/support';

/**
 * A profile folder with an offline copy of the demo admin's account (signed in once with the
 * portal, "Keep an offline copy" on), closed again: what an attacker with write access to the
 * profile folder finds. The keychain outlives the restarts, as the OS keychain does.
 */
export interface OfflineProfile {
  directory: string;
  credentials: CredentialStore;
  /** The app started again on this profile (no portal session). */
  open(options?: Partial<CreateServicesOptions>): Promise<ServicesHandle>;
  /** `offline/accounts.json`, parsed, and a way to write it back. */
  readAccounts(): { version: number; accounts: Record<string, unknown>[] };
  writeAccounts(contents: unknown): void;
  /** `offline/<account>/<file>`. */
  sealedFile(name: 'drafts.sealed' | 'employees.sealed'): string;
  close(): Promise<void>;
}

export const ADMIN = ACCOUNTS.admin;

export async function makeOfflineProfile(
  portal: TestPortal,
  prepare?: (services: Services, offlineFolder: string) => Promise<void>,
  beforeSignIn?: (services: Services) => void,
): Promise<OfflineProfile> {
  const credentials = createCredentialStore({ kind: keychainForTests() });
  const first = await servicesFor(portal, { credentials, snapshotWriteDelayMs: 0 });
  const directory = first.directory;
  beforeSignIn?.(first.services);
  await signIn(portal, first.services, 'admin', false, true);
  await prepare?.(first.services, join(directory, 'offline', first.services.offline.active()?.id ?? ''));
  await first.services.dispose();
  // Let the keychain writes queued by the last file writes finish, as a real shutdown does.
  await new Promise((resolve) => setTimeout(resolve, 200));

  const handles: ServicesHandle[] = [];
  const accountsFile = join(directory, 'offline', 'accounts.json');
  const accountFolder = (): string => join(directory, 'offline', (JSON.parse(readFileSync(accountsFile, 'utf8')) as { accounts: { id: string }[] }).accounts[0]!.id);
  return {
    directory,
    credentials,
    async open(options = {}) {
      const handle = await servicesFor(portal, { credentials, snapshotWriteDelayMs: 0, ...options, directory });
      handles.push(handle);
      return handle;
    },
    readAccounts: () => JSON.parse(readFileSync(accountsFile, 'utf8')) as { version: number; accounts: Record<string, unknown>[] },
    writeAccounts: (contents) => writeFileSync(accountsFile, `${JSON.stringify(contents, null, 2)}\n`),
    sealedFile: (name) => join(accountFolder(), name),
    async close() {
      for (const handle of handles) await handle.services.dispose();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
