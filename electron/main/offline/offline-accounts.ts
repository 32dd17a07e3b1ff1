import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../log';
import { writeFileAtomically } from '../infra/atomic-file';
import { verifierSchema } from '../infra/offline-verifier';

/**
 * Which accounts have offline data on this computer (`offline/accounts.json`): the portal, the
 * email, whether an offline copy is kept, the password verifier, the data key sealed with the
 * password, when the password was last accepted online, and an HMAC over those fields whose key
 * is in the keychain (offline-guard.ts): an edited record is refused. The count of wrong offline
 * passwords is in the keychain too. Nothing about employees: that is only in the encrypted files
 * of each account's folder.
 */
export const ACCOUNTS_FILE_NAME = 'accounts.json';
const ACCOUNTS_VERSION = 2;

export const offlineAccountSchema = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{24}$/),
  portalOrigin: z.string().max(2048),
  email: z.string().max(254),
  keepsOfflineCopy: z.boolean(),
  verifier: verifierSchema.nullable(),
  /** The data key, sealed with the key derived from the password (offline-keys.ts). */
  wrappedKey: z.string().max(512).nullable(),
  /** The last sign-in with the portal (password and second factor): the offline copy expires after it. */
  signedInAt: z.string().max(40).nullable(),
  /**
   * When the offline copy expires: the last sign-in with the portal plus the setting's days at that
   * time. Authenticated, so an edit of the settings file cannot lengthen the life of a copy already
   * made; the setting can still shorten it. Absent in records from before it was kept.
   */
  expiresAt: z.string().max(40).nullable().optional(),
  /** When the offline copy was last brought up to date (shown before unlocking; not authenticated). */
  syncedAt: z.string().max(40).nullable(),
  /** HMAC-SHA256 of `authenticatedFields` with the account's key from the keychain. */
  mac: z.string().max(64).nullable(),
});
export type OfflineAccount = z.infer<typeof offlineAccountSchema>;

/** What the record's HMAC covers, in order. */
export function authenticatedFields(account: Omit<OfflineAccount, 'mac' | 'syncedAt'>): unknown[] {
  const fields = [account.id, account.portalOrigin, account.email, account.keepsOfflineCopy, account.verifier?.salt ?? null, account.verifier?.hash ?? null, account.wrappedKey, account.signedInAt];
  // Records from before the expiry was kept were authenticated without it; removing it from a newer record breaks its HMAC.
  return account.expiresAt === undefined ? fields : [...fields, account.expiresAt];
}

const fileSchema = z.strictObject({ version: z.literal(ACCOUNTS_VERSION), accounts: z.array(offlineAccountSchema).max(100) });

/**
 * Version 1 kept a plain verifier and the count of wrong passwords beside it: its accounts keep
 * their drafts, and "Work offline" comes back at their next online sign-in.
 */
function fromVersion1(data: Record<string, unknown>): unknown {
  const accounts = Array.isArray(data.accounts) ? (data.accounts as Record<string, unknown>[]) : [];
  return {
    version: ACCOUNTS_VERSION,
    accounts: accounts.map((account) => ({
      id: account.id,
      portalOrigin: account.portalOrigin,
      email: account.email,
      keepsOfflineCopy: account.keepsOfflineCopy,
      verifier: null,
      wrappedKey: null,
      signedInAt: null,
      syncedAt: account.syncedAt ?? null,
      mac: null,
    })),
  };
}

/** A folder name for an account that says nothing about who it is. */
export function accountIdOf(portalOrigin: string, email: string): string {
  return createHash('sha256').update(`${portalOrigin}|${email.trim().toLowerCase()}`).digest('hex').slice(0, 24);
}

export interface OfflineAccounts {
  list(portalOrigin: string | null): OfflineAccount[];
  get(portalOrigin: string, email: string): OfflineAccount | undefined;
  put(account: OfflineAccount): void;
  remove(portalOrigin: string, email: string): void;
}

export function createOfflineAccounts(folder: string, log: Logger, now: () => number = Date.now): OfflineAccounts {
  const file = join(folder, ACCOUNTS_FILE_NAME);
  let accounts: OfflineAccount[] = load();

  function load(): OfflineAccount[] {
    if (!existsSync(file)) return [];
    try {
      let data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (data !== null && typeof data === 'object' && (data as { version?: unknown }).version === 1) data = fromVersion1(data as Record<string, unknown>);
      const parsed = fileSchema.safeParse(data);
      if (parsed.success) return parsed.data.accounts;
    } catch {
      // kept aside below
    }
    const aside = `${file}.invalid-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`;
    try {
      renameSync(file, aside);
    } catch (error) {
      log.warn('offline: could not keep the invalid accounts file aside', { error });
    }
    log.warn('offline: the accounts file was invalid and was kept aside', { keptAs: aside });
    return [];
  }
  function save(next: OfflineAccount[]): void {
    writeFileAtomically(file, `${JSON.stringify({ version: ACCOUNTS_VERSION, accounts: next }, null, 2)}\n`);
    accounts = next;
  }
  const same = (account: OfflineAccount, portalOrigin: string, email: string) => account.id === accountIdOf(portalOrigin, email);

  return {
    list: (portalOrigin) => accounts.filter((account) => portalOrigin === null || account.portalOrigin === portalOrigin).map((account) => ({ ...account })),
    get: (portalOrigin, email) => {
      const found = accounts.find((account) => same(account, portalOrigin, email));
      return found ? { ...found } : undefined;
    },
    put(account) {
      const checked = offlineAccountSchema.parse(account);
      save([...accounts.filter((existing) => existing.id !== checked.id), checked]);
    },
    remove(portalOrigin, email) {
      const next = accounts.filter((account) => !same(account, portalOrigin, email));
      if (next.length !== accounts.length) save(next);
    },
  };
}
