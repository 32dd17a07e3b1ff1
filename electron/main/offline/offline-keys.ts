import { keychainAccount, KEYCHAIN_SERVICE, type CredentialStore } from '../infra/credential-store';
import { KEY_BYTES, newDataKey, open, seal } from './sealed-box';

/**
 * The random AES-256 key of an account's offline files lives in the OS keychain, never on disk
 * beside them: a copied profile folder is unreadable without the user's keychain.
 */
export function offlineKeyAccount(portalOrigin: string, email: string): string {
  return `offline-data|${keychainAccount(portalOrigin, email)}`;
}

/** The account's key; made (and stored in the keychain) when there is none and `create` is set. */
export async function offlineDataKey(credentials: CredentialStore, portalOrigin: string, email: string, create: boolean): Promise<Buffer | null> {
  const account = offlineKeyAccount(portalOrigin, email);
  const stored = await credentials.getPassword(KEYCHAIN_SERVICE, account);
  if (stored !== null) {
    const key = Buffer.from(stored, 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  if (!create) return null;
  const key = newDataKey();
  await credentials.setPassword(KEYCHAIN_SERVICE, account, key.toString('base64'));
  return key;
}

export async function forgetOfflineDataKey(credentials: CredentialStore, portalOrigin: string, email: string): Promise<void> {
  await credentials.deletePassword(KEYCHAIN_SERVICE, offlineKeyAccount(portalOrigin, email));
}

/**
 * The data key sealed with the wrapping key derived from the password (offline-verifier.ts), for
 * `accounts.json`: "Work offline" takes the key from here, never from the keychain, so it opens
 * nothing without the password. Re-made at every online sign-in.
 */
export function wrapDataKey(wrappingKey: Buffer, dataKey: Buffer, accountId: string): string {
  return seal(wrappingKey, dataKey.toString('base64'), `offline-key|${accountId}`).trim();
}

/** Null when the wrapping key (the password) or the sealed key is not the right one. */
export function unwrapDataKey(wrappingKey: Buffer, wrapped: string, accountId: string): Buffer | null {
  try {
    const key = Buffer.from(open(wrappingKey, wrapped, `offline-key|${accountId}`), 'base64');
    return key.length === KEY_BYTES ? key : null;
  } catch {
    return null;
  }
}
