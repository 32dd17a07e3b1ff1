import { IpcFailure, type ChannelOutput, type ChannelParsedInput } from '../../../common/ipc';
import type { Logger } from '../log';
import { KEYCHAIN_NOT_CLEARED, type AuthService } from '../services/auth';
import type { ActiveAccount, OfflineService } from './offline-service';

const OFFLINE_DATA_NOT_CLEARED =
  'Offline data of this account on this computer (drafts, the offline copy) could not be opened to be removed; it stays encrypted and unreadable without your keychain.';

export type SignOutChannel = (input: ChannelParsedInput<'auth:sign-out'>) => Promise<ChannelOutput<'auth:sign-out'>>;

export interface OfflineAwareSignOutOptions {
  offline: Pick<OfflineService, 'ensureActive' | 'leave' | 'wipeAfterSignOut'>;
  auth: Pick<AuthService, 'signOut'>;
  log: Logger;
}

/**
 * What answers `auth:sign-out`: the session sign-out of services/auth.ts, decorated with the
 * offline data. It asks about unsynced drafts first, then signs out and wipes (or keeps) the
 * offline copy. Whatever the offline data or the keychain does, the session ends in main and on
 * the portal; what could not be cleared on this computer is said in `notCleared`.
 */
export function offlineAwareSignOut(options: OfflineAwareSignOutOptions): SignOutChannel {
  const { offline } = options;
  return async function signOut(input) {
    let account: ActiveAccount | null = null;
    let unreachable: unknown = null;
    try {
      account = await offline.ensureActive();
    } catch (error) {
      // Unreadable offline data (no keychain for its key, a damaged file) cannot be wiped, but it
      // must not keep the session alive either: it stays encrypted on disk.
      unreachable = error;
      options.log.warn('offline: the offline data could not be opened at sign-out', { error });
    }
    if (account?.isOfflineSession) {
      offline.leave();
      return { revokedOnPortal: false, notCleared: [] };
    }
    const unsynced = account?.drafts?.drafts().length ?? 0;
    if (account && unsynced > 0 && input.drafts === undefined) {
      throw new IpcFailure(
        'unsynced_drafts',
        `You have ${unsynced} unsynced ${unsynced === 1 ? 'draft' : 'drafts'}. Choose whether to keep ${unsynced === 1 ? 'it' : 'them'} (encrypted on this computer) for your next sign-in, or discard ${unsynced === 1 ? 'it' : 'them'}.`,
      );
    }
    const result = await options.auth.signOut();
    const notCleared = [...result.notCleared];
    if (account) {
      try {
        await offline.wipeAfterSignOut(account, input.drafts ?? 'discard');
      } catch (error) {
        unreachable = error;
        options.log.warn('offline: wiping the offline data after sign-out failed', { error });
      }
    }
    if (unreachable) {
      const isKeychain = unreachable instanceof IpcFailure && unreachable.code === 'keychain_unavailable';
      const message = isKeychain ? KEYCHAIN_NOT_CLEARED : OFFLINE_DATA_NOT_CLEARED;
      if (!notCleared.includes(message)) notCleared.push(message);
    }
    return { revokedOnPortal: result.revokedOnPortal, notCleared };
  };
}
