import { tokenResponseSchema } from '../../../../common/api';
import { IpcFailure } from '../../../../common/ipc';
import { keychainAccount, KEYCHAIN_SERVICE } from '../../infra/credential-store';
import type { PortalClient } from '../../infra/portal-client';
import type { AuthServiceOptions } from './options';
import type { PendingRevokes } from './pending-revokes';
import type { PortalTokens, Session } from './options';

export interface RememberedSignInOptions {
  options: AuthServiceOptions;
  clock: () => number;
  absoluteTimeoutMs: number;
  pendingRevokes: PendingRevokes;
  /** The live session, as far as a restore needs it. */
  sessions: {
    isSignedIn(): boolean;
    start(tokens: PortalTokens, portalOrigin: string, signedInAt: number, isRemembered: boolean): Session;
    emitState(): void;
  };
}

/** "Remember me": the refresh token in the keychain, the account and its sign-in time in a file. */
export interface RememberedSignIn {
  /** Keeps the refresh token in the keychain; false (and nothing left behind) when it could not. */
  remember(current: Session): Promise<boolean>;
  forget(portalOrigin: string, email: string): Promise<void>;
  /**
   * Forgets a remembered sign-in that is not the live session's (expired, replaced by a sign-in
   * without "Remember me", another account's): its refresh token is revoked on the portal first,
   * so a copy of it (a keychain backup, a stolen file) is worth nothing either.
   */
  revokeAndForget(portalOrigin: string, email: string): Promise<void>;
  /** Signs in with the remembered refresh token; true when signed in afterwards. */
  restore(): Promise<boolean>;
}

export function createRememberedSignIn({ options, clock, absoluteTimeoutMs, pendingRevokes, sessions }: RememberedSignInOptions): RememberedSignIn {
  const log = options.log;

  async function forget(portalOrigin: string, email: string): Promise<void> {
    options.remembered.clear();
    await options.credentials.deletePassword(KEYCHAIN_SERVICE, keychainAccount(portalOrigin, email));
  }

  /** A portal that cannot be reached now revokes the token at the next contact (pending-revokes.ts). */
  async function revokeAndForget(portalOrigin: string, email: string): Promise<void> {
    const refreshToken = await options.credentials.getPassword(KEYCHAIN_SERVICE, keychainAccount(portalOrigin, email)).catch(() => null);
    if (refreshToken) await pendingRevokes.revokeOrKeep(portalOrigin, refreshToken);
    await forget(portalOrigin, email);
  }

  async function remember(current: Session): Promise<boolean> {
    try {
      await options.credentials.setPassword(KEYCHAIN_SERVICE, keychainAccount(current.portalOrigin, current.user.email), current.refreshToken);
      options.remembered.write({ portalOrigin: current.portalOrigin, email: current.user.email, signedInAt: current.signedInAt });
      return true;
    } catch (error) {
      // A stale token left behind would be replayed at the next start and trip the portal's
      // reuse detection, so a failed update removes the entry instead.
      current.isRemembered = false;
      log.warn('auth: could not keep the sign-in in the keychain', { error });
      try {
        await forget(current.portalOrigin, current.user.email);
      } catch (cleanupError) {
        log.warn('auth: could not remove the remembered sign-in', { error: cleanupError });
      }
      return false;
    }
  }

  async function restore(): Promise<boolean> {
    if (sessions.isSignedIn()) return true;
    const remembered = options.remembered.read();
    if (!remembered) return false;
    let client: PortalClient;
    try {
      client = options.portal();
    } catch {
      return false;
    }
    if (client.origin !== remembered.portalOrigin) return false; // kept for when that portal is configured again
    if (clock() - remembered.signedInAt >= absoluteTimeoutMs) {
      await revokeAndForget(remembered.portalOrigin, remembered.email).catch((error: unknown) => log.warn('auth: could not remove an expired remembered sign-in', { error }));
      return false;
    }
    const account = keychainAccount(remembered.portalOrigin, remembered.email);
    const refreshToken = await options.credentials.getPassword(KEYCHAIN_SERVICE, account);
    if (!refreshToken) {
      options.remembered.clear();
      return false;
    }
    let answer: PortalTokens;
    try {
      answer = await client.request({ method: 'POST', path: '/auth/refresh', body: { refreshToken }, authenticated: false, schema: tokenResponseSchema });
    } catch (error) {
      const code = error instanceof IpcFailure ? error.code : 'server';
      if (code === 'offline' || code === 'timeout' || code === 'tls_untrusted' || code === 'server' || code === 'rate_limited') {
        log.info('auth: the remembered sign-in could not be restored now', { code });
        return false;
      }
      log.info('auth: the portal no longer accepts the remembered sign-in', { code });
      await forget(remembered.portalOrigin, remembered.email);
      return false;
    }
    if (sessions.isSignedIn()) return true; // someone signed in meanwhile; theirs wins (the restored pair just lapses)
    const restored = sessions.start(answer, client.origin, remembered.signedInAt, true);
    await remember(restored);
    log.info('auth: remembered sign-in restored');
    sessions.emitState();
    return true;
  }

  return { remember, forget, revokeAndForget, restore };
}
