import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../log';
import { writeFileAtomically } from '../services/atomic-file';
import { verifierSchema } from './offline-verifier';

/**
 * Which accounts have offline data on this computer (`offline/accounts.json`): the portal, the
 * email, whether an offline copy is kept, the password verifier and the count of wrong offline
 * passwords. Nothing about employees: that is only in the encrypted files of each account's folder.
 */
export const ACCOUNTS_FILE_NAME = 'accounts.json';
const ACCOUNTS_VERSION = 1;

export const offlineAccountSchema = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{24}$/),
  portalOrigin: z.string().max(2048),
  email: z.string().max(254),
  keepsOfflineCopy: z.boolean(),
  verifier: verifierSchema.nullable(),
  failedUnlocks: z.number().int().nonnegative(),
  /** When the offline copy was last brought up to date (shown before unlocking). */
  syncedAt: z.string().max(40).nullable(),
});
export type OfflineAccount = z.infer<typeof offlineAccountSchema>;

const fileSchema = z.strictObject({ version: z.literal(ACCOUNTS_VERSION), accounts: z.array(offlineAccountSchema).max(100) });

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
      const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
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
