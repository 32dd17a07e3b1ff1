import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Logger } from '../log';
import { keychainAccount, KEYCHAIN_SERVICE, type CredentialStore } from '../infra/credential-store';

/**
 * What of an account's offline data must survive an attacker who can write the profile folder,
 * kept in the OS keychain instead: the key that authenticates the account's record in
 * `accounts.json` (HMAC-SHA256), the count of wrong offline passwords, and how many times each
 * encrypted file was written (so an older copy of `drafts.sealed` or `employees.sealed` put back
 * in place is recognised).
 *
 * Writes are queued one at a time; reads come from a cache once the keychain was read, so the
 * count of wrong passwords cannot be raced.
 */
export type SealedFileKind = 'drafts' | 'employees';

const guardSchema = z.strictObject({
  macKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  failedUnlocks: z.number().int().nonnegative(),
  generations: z.strictObject({ drafts: z.number().int().nonnegative(), employees: z.number().int().nonnegative() }),
});
export type OfflineGuard = z.infer<typeof guardSchema>;

export function offlineGuardAccount(portalOrigin: string, email: string): string {
  return `offline-guard|${keychainAccount(portalOrigin, email)}`;
}

export interface OfflineGuards {
  /** The account's guard; a new one (no failures, nothing written) when the keychain has none. */
  get(portalOrigin: string, email: string): Promise<OfflineGuard>;
  /** The cached guard, when it was read already (for state shown before any keychain call). */
  cached(portalOrigin: string, email: string): OfflineGuard | undefined;
  /** Changes and stores the guard, after every earlier change. */
  update(portalOrigin: string, email: string, change: (guard: OfflineGuard) => OfflineGuard): Promise<OfflineGuard>;
  /** Raises a sealed file's write count in the keychain (never lowers it). */
  raiseGeneration(portalOrigin: string, email: string, file: SealedFileKind, generation: number): Promise<OfflineGuard>;
  /** A sealed file was written: raise its count (stored in the background). */
  noteWritten(portalOrigin: string, email: string, file: SealedFileKind, generation: number): void;
  /** Waits for every queued write (tests, shutdown). */
  settled(): Promise<void>;
  forget(portalOrigin: string, email: string): Promise<void>;
}

export function createOfflineGuards(credentials: CredentialStore, log: Logger): OfflineGuards {
  const cache = new Map<string, OfflineGuard>();
  let queue: Promise<unknown> = Promise.resolve();

  function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task);
    queue = run.catch(() => undefined);
    return run;
  }

  async function load(account: string): Promise<OfflineGuard> {
    const known = cache.get(account);
    if (known) return known;
    const stored = await credentials.getPassword(KEYCHAIN_SERVICE, account);
    let guard: OfflineGuard | null = null;
    if (stored !== null) {
      try {
        const parsed = guardSchema.safeParse(JSON.parse(stored));
        if (parsed.success) guard = parsed.data;
      } catch {
        // an unreadable item is replaced below; the record it authenticated no longer verifies
      }
      if (!guard) log.warn('offline: the keychain item of an offline account was unreadable; offline access needs an online sign-in');
    }
    guard ??= { macKey: randomBytes(32).toString('base64'), failedUnlocks: 0, generations: { drafts: 0, employees: 0 } };
    cache.set(account, guard);
    return guard;
  }

  const guards: OfflineGuards = {
    get: (portalOrigin, email) => enqueue(() => load(offlineGuardAccount(portalOrigin, email))),
    cached: (portalOrigin, email) => cache.get(offlineGuardAccount(portalOrigin, email)),
    update(portalOrigin, email, change) {
      const account = offlineGuardAccount(portalOrigin, email);
      return enqueue(async () => {
        const next = guardSchema.parse(change(await load(account)));
        await credentials.setPassword(KEYCHAIN_SERVICE, account, JSON.stringify(next));
        cache.set(account, next);
        return next;
      });
    },
    raiseGeneration: (portalOrigin, email, file, generation) =>
      guards.update(portalOrigin, email, (guard) => ({ ...guard, generations: { ...guard.generations, [file]: Math.max(guard.generations[file], generation) } })),
    noteWritten(portalOrigin, email, file, generation) {
      guards
        .raiseGeneration(portalOrigin, email, file, generation)
        .catch((error: unknown) => log.warn('offline: could not store the write count in the keychain', { error }));
    },
    settled: () => enqueue(async () => undefined),
    forget(portalOrigin, email) {
      const account = offlineGuardAccount(portalOrigin, email);
      return enqueue(async () => {
        cache.delete(account);
        await credentials.deletePassword(KEYCHAIN_SERVICE, account);
      });
    },
  };
  return guards;
}

/** HMAC-SHA256 of the fields of a record, in a fixed order. */
export function recordMac(guard: OfflineGuard, fields: readonly unknown[]): string {
  return createHmac('sha256', Buffer.from(guard.macKey, 'base64')).update(JSON.stringify(fields)).digest('base64');
}

export function isRecordMacValid(guard: OfflineGuard, fields: readonly unknown[], mac: string | null): boolean {
  if (mac === null) return false;
  const expected = Buffer.from(recordMac(guard, fields), 'base64');
  const actual = Buffer.from(mac, 'base64');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
