import { z } from 'zod';
import { IpcFailure } from '../../../../common/ipc';
import { loggingBackgroundRunner } from '../../infra/background';
import { KEYCHAIN_SERVICE } from '../../infra/credential-store';
import type { PortalClient } from '../../infra/portal-client';
import type { AuthServiceOptions } from './options';

/** A revoke's answer is not read. */
const anyBody = z.unknown();

/**
 * At most this many refresh tokens wait per portal. More are not kept: the oldest go first, and the
 * portal's 12-hour limit ends those sessions anyway.
 */
export const MAX_PENDING_REVOKES = 20;

/** Answers that say the token is no longer any good: nothing left to revoke. */
const ALREADY_INVALID = new Set(['unauthenticated', 'invalid_credentials', 'forbidden', 'challenge_expired', 'validation', 'not_found']);

/** `<portal origin>|#pending-revokes`: an email address cannot be `#pending-revokes`. */
function pendingAccount(portalOrigin: string): string {
  return `${portalOrigin}|#pending-revokes`;
}

/**
 * Sign-ins the app forgot while their portal could not be reached: the refresh tokens wait in the
 * keychain (never in a file of the profile) and are revoked at the next successful contact with
 * that portal, so a copy of one (a keychain backup, a stolen file) stops working then.
 */
export interface PendingRevokes {
  /** Revokes the token now; keeps it for later when the portal cannot be reached. True when the portal confirmed (or said it is invalid already). */
  revokeOrKeep(portalOrigin: string, refreshToken: string, bearer?: string): Promise<boolean>;
  /** The portal answered: revoke what waits for it (in the background). */
  onContact(): void;
}

export function createPendingRevokes(options: Pick<AuthServiceOptions, 'portal' | 'credentials' | 'log'>): PendingRevokes {
  const log = options.log;
  const runInBackground = loggingBackgroundRunner(log);
  /** One keychain read-modify-write at a time. */
  let queue: Promise<void> = Promise.resolve();
  /** Origins known to have nothing waiting (so a busy session does not read the keychain per request). */
  const isKnownEmpty = new Set<string>();

  function serially(step: () => Promise<void>): Promise<void> {
    const next = queue.then(step, step);
    queue = next.catch(() => undefined);
    return next;
  }

  async function read(portalOrigin: string): Promise<string[]> {
    const stored = await options.credentials.getPassword(KEYCHAIN_SERVICE, pendingAccount(portalOrigin));
    if (!stored) return [];
    try {
      const parsed: unknown = JSON.parse(stored);
      return Array.isArray(parsed) ? parsed.filter((token): token is string => typeof token === 'string' && token.length > 0) : [];
    } catch {
      return [];
    }
  }

  async function write(portalOrigin: string, tokens: string[]): Promise<void> {
    if (tokens.length === 0) {
      await options.credentials.deletePassword(KEYCHAIN_SERVICE, pendingAccount(portalOrigin));
      isKnownEmpty.add(portalOrigin);
    } else {
      await options.credentials.setPassword(KEYCHAIN_SERVICE, pendingAccount(portalOrigin), JSON.stringify(tokens.slice(-MAX_PENDING_REVOKES)));
      isKnownEmpty.delete(portalOrigin);
    }
  }

  /** 'done' when the portal confirmed or said the token is invalid already; 'later' when it could not be reached. */
  async function tryRevoke(client: PortalClient, refreshToken: string, bearer?: string): Promise<'done' | 'later'> {
    try {
      await client.request({ method: 'POST', path: '/auth/logout', body: { refreshToken }, ...(bearer ? { bearer } : {}), authenticated: false, schema: anyBody });
      return 'done';
    } catch (error) {
      const code = error instanceof IpcFailure ? error.code : 'unknown';
      if (ALREADY_INVALID.has(code)) {
        // With a lapsed access token the bearer is refused: the refresh token alone names the session.
        return bearer ? tryRevoke(client, refreshToken) : 'done';
      }
      log.info('auth: a sign-in could not be revoked on the portal now; it is revoked at the next contact', { code });
      return 'later';
    }
  }

  function clientFor(portalOrigin: string | null): PortalClient | null {
    try {
      const client = options.portal();
      return portalOrigin === null || client.origin === portalOrigin ? client : null;
    } catch {
      return null;
    }
  }

  async function keep(portalOrigin: string, refreshToken: string): Promise<void> {
    await serially(async () => {
      const tokens = await read(portalOrigin);
      if (!tokens.includes(refreshToken)) await write(portalOrigin, [...tokens, refreshToken]);
    });
  }

  async function flush(): Promise<void> {
    const client = clientFor(null);
    if (!client || isKnownEmpty.has(client.origin)) return;
    await serially(async () => {
      const tokens = await read(client.origin);
      const left: string[] = [];
      for (const token of tokens) {
        if (left.length > 0 || (await tryRevoke(client, token)) === 'later') left.push(token);
      }
      if (left.length < tokens.length || tokens.length === 0) await write(client.origin, left);
      if (tokens.length > left.length) log.info('auth: revoked sign-ins forgotten while the portal was unreachable', { count: tokens.length - left.length });
    });
  }

  return {
    async revokeOrKeep(portalOrigin, refreshToken, bearer) {
      const client = clientFor(portalOrigin);
      if (client && (await tryRevoke(client, refreshToken, bearer)) === 'done') return true;
      try {
        await keep(portalOrigin, refreshToken);
      } catch (error) {
        log.warn('auth: could not keep a sign-in to revoke later in the keychain', { error });
      }
      return false;
    },
    onContact() {
      runInBackground('revoking forgotten sign-ins', flush);
    },
  };
}
