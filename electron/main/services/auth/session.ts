import { z } from 'zod';
import { tokenResponseSchema } from '../../../../common/api';
import { IpcFailure, type AuthState, type LoginStep } from '../../../../common/ipc';
import { rememberSecret } from '../../log';
import { loggingBackgroundRunner } from '../../infra/background';
import type { TokenSource } from '../../infra/portal-client';
import { MESSAGES } from '../../infra/portal-errors';
import type { Verifier } from '../../infra/offline-verifier';
import type { AuthServiceOptions } from './options';
import type { PendingRevokes } from './pending-revokes';
import type { RememberedSignIn } from './remembered-sign-in';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;

export interface PendingLogin {
  challengeId: string;
  methods: Extract<LoginStep, { step: 'second_factor_required' }>['methods'];
  destination: string | null;
  expiresAt: string;
  rememberMe: boolean;
  portalOrigin: string;
  keepOfflineCopy: boolean;
  verifier: Verifier | null;
}

export type { Session } from './options';
import type { Session } from './options';

export type { PortalTokens } from './options';
import type { PortalTokens } from './options';

/** Registers a token pair with the log redactor; returns the function that unregisters both. */
function trackSecrets(accessToken: string, refreshToken: string): () => void {
  const forgetAccess = rememberSecret(accessToken);
  const forgetRefresh = rememberSecret(refreshToken);
  return () => {
    forgetAccess();
    forgetRefresh();
  };
}

export type EndReason = 'signed_out' | 'idle' | 'absolute' | 'refused' | 'new_login';

const END_MESSAGES: Record<Exclude<EndReason, 'signed_out' | 'new_login'>, string> = {
  idle: 'You were signed out after 30 minutes without activity. Sign in again.',
  absolute: 'Sessions last at most 12 hours. Sign in again.',
  refused: MESSAGES.unauthenticated,
};

export const anyBody = z.unknown();

export interface SessionKeeperOptions {
  options: AuthServiceOptions;
  clock: () => number;
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  remembered: Pick<RememberedSignIn, 'forget' | 'revokeAndForget' | 'remember'>;
  pendingRevokes: PendingRevokes;
}

/** The live session, its token pair, its limits (idle, absolute) and how it ends. */
export interface SessionKeeper {
  readonly session: Session | null;
  /** The sign-in waiting for its second factor (kept here: ending a session drops it too). */
  pending: PendingLogin | null;
  snapshot(): AuthState;
  emitState(): void;
  /** The live session; one past its limits is ended here (and the renderer told). */
  liveSession(): Session;
  startSession(tokens: PortalTokens, portalOrigin: string, signedInAt: number, isRemembered: boolean): Session;
  /** Ends the session locally at once: nothing can use its tokens any more. */
  detachSession(reason: EndReason): Session | null;
  /**
   * After `detachSession`: revokes the session on the portal and removes the remembered entry
   * from the keychain, whatever the portal says. Returns whether the portal confirmed, and whether
   * the keychain could not be cleared.
   */
  finishEnding(ended: Session | null, reason: EndReason, revokeOnPortal: boolean): Promise<{ revoked: boolean; isKeychainLeft: boolean }>;
  /** Ends a session that ran out, if it did. */
  expireIfDue(): void;
  readonly tokens: TokenSource;
  dispose(): void;
}

export function createSessionKeeper({ options, clock, idleTimeoutMs, absoluteTimeoutMs, remembered, pendingRevokes }: SessionKeeperOptions): SessionKeeper {
  const log = options.log;
  const runInBackground = loggingBackgroundRunner(log);
  let session: Session | null = null;
  let refreshing: Promise<boolean> | null = null;

  function deadlineOf(current: Session): number {
    return Math.min(current.lastActivityAt + idleTimeoutMs, current.signedInAt + absoluteTimeoutMs);
  }
  function expiryReason(current: Session): 'idle' | 'absolute' | null {
    const now = clock();
    if (now - current.signedInAt >= absoluteTimeoutMs) return 'absolute';
    if (now - current.lastActivityAt >= idleTimeoutMs) return 'idle';
    return null;
  }

  /** Revokes the tokens on the portal (or keeps them to revoke at the next contact); true when the portal confirmed. */
  function revoke(ended: Session): Promise<boolean> {
    return pendingRevokes.revokeOrKeep(ended.portalOrigin, ended.refreshToken, ended.accessToken);
  }

  /** A session ran out or was refused: end it now, clean up in the background. */
  function expire(reason: EndReason): void {
    const ended = keeper.detachSession(reason);
    if (ended) runInBackground('ending the session', () => keeper.finishEnding(ended, reason, reason !== 'refused'));
  }

  async function refresh(current: Session): Promise<boolean> {
    let tokens: PortalTokens;
    try {
      tokens = await options.portal().request({
        method: 'POST',
        path: '/auth/refresh',
        body: { refreshToken: current.refreshToken },
        authenticated: false,
        schema: tokenResponseSchema,
      });
    } catch (error) {
      // The portal refused the refresh token: the session is over. Anything else (offline,
      // timeout) fails this one call and keeps the session for when the portal is back.
      if (error instanceof IpcFailure && ['unauthenticated', 'invalid_credentials', 'forbidden', 'challenge_expired', 'validation'].includes(error.code)) {
        return false;
      }
      throw error;
    }
    if (session !== current) return false; // signed out meanwhile: drop the new tokens
    current.forgetSecrets();
    current.forgetSecrets = trackSecrets(tokens.accessToken, tokens.refreshToken);
    current.accessToken = tokens.accessToken;
    current.refreshToken = tokens.refreshToken;
    current.user = tokens.user;
    if (current.isRemembered) await remembered.remember(current);
    log.info('auth: access token refreshed');
    return true;
  }

  const tokens: TokenSource = {
    accessToken: () => keeper.liveSession().accessToken,
    async refreshAfterRejection(rejectedToken) {
      const current = session;
      if (!current) return false;
      if (current.accessToken !== rejectedToken) return true; // another call refreshed already
      if (!refreshing) {
        const flight = refresh(current).finally(() => {
          if (refreshing === flight) refreshing = null;
        });
        refreshing = flight;
      }
      return refreshing;
    },
    onActivity() {
      if (session && expiryReason(session) === null) session.lastActivityAt = clock();
      pendingRevokes.onContact();
    },
    onUnauthenticated() {
      if (session) expire('refused');
    },
  };

  const intervalMs = options.expiryCheckIntervalMs ?? 15_000;
  const timer = intervalMs > 0 ? setInterval(() => keeper.expireIfDue(), intervalMs) : null;
  timer?.unref();

  const keeper: SessionKeeper = {
    get session() {
      return session;
    },
    pending: null,
    tokens,

    snapshot() {
      const pending = keeper.pending;
      return {
        signedIn: session !== null,
        user: session?.user ?? null,
        expiresAt: session ? new Date(deadlineOf(session)).toISOString() : null,
        pending: pending ? { methods: [...pending.methods], destination: pending.destination, expiresAt: pending.expiresAt } : null,
        portalUrl: options.portalUrl(),
      };
    },

    emitState() {
      options.emitter.emit('auth:state-changed', keeper.snapshot());
    },

    liveSession() {
      if (!session) throw new IpcFailure('unauthenticated', 'Sign in first.');
      const reason = expiryReason(session);
      if (reason) {
        expire(reason);
        throw new IpcFailure('unauthenticated', END_MESSAGES[reason]);
      }
      return session;
    },

    startSession(tokens, portalOrigin, signedInAt, isRemembered) {
      const now = clock();
      session = {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        user: tokens.user,
        portalOrigin,
        signedInAt,
        lastActivityAt: now,
        isRemembered,
        forgetSecrets: trackSecrets(tokens.accessToken, tokens.refreshToken),
      };
      pendingRevokes.onContact();
      return session;
    },

    detachSession(reason) {
      const ended = session;
      const hadPending = keeper.pending !== null && reason !== 'new_login';
      session = null;
      refreshing = null;
      if (reason !== 'new_login') keeper.pending = null;
      if (ended || hadPending) keeper.emitState();
      return ended;
    },

    async finishEnding(ended, reason, revokeOnPortal) {
      const revoked = ended && revokeOnPortal ? await revoke(ended) : false;
      const entry = options.remembered.read();
      const errors: unknown[] = [];
      try {
        if (ended) await remembered.forget(ended.portalOrigin, ended.user.email);
      } catch (error) {
        errors.push(error);
      }
      try {
        if (entry && (!ended || entry.email !== ended.user.email || entry.portalOrigin !== ended.portalOrigin)) {
          await remembered.revokeAndForget(entry.portalOrigin, entry.email);
        }
      } catch (error) {
        errors.push(error);
      }
      options.remembered.clear();
      if (errors.length > 0) log.warn('auth: could not remove the remembered sign-in from the keychain', { error: errors[0], reason });
      if (ended) log.info('auth: session ended', { reason, revokedOnPortal: revoked });
      ended?.forgetSecrets();
      return { revoked, isKeychainLeft: errors.length > 0 };
    },

    expireIfDue() {
      const reason = session ? expiryReason(session) : null;
      if (reason) expire(reason);
    },

    dispose() {
      if (timer) clearInterval(timer);
    },
  };
  return keeper;
}
