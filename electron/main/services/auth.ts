import { z } from 'zod';
import { challengeSchema, sendCodeResponseSchema, stepUpResponseSchema, tokenResponseSchema, type PortalUser } from '../../../common/api';
import { IpcFailure, type AuthState, type ChannelOutput, type ChannelParsedInput, type LoginStep, type StepUpOutcome } from '../../../common/ipc';
import { rememberSecret, type Logger } from '../log';
import { runInBackground } from '../infra/background';
import { keychainAccount, KEYCHAIN_SERVICE, type CredentialStore } from '../infra/credential-store';
import type { ServiceEmitter } from '../infra/events';
import type { PortalClient, TokenSource } from '../infra/portal-client';
import { MESSAGES } from '../infra/portal-errors';
import type { RememberedSessionFile } from './remembered-session';
import type { Verifier } from '../infra/offline-verifier';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;

export interface AuthService {
  getState(): Promise<AuthState>;
  startLogin(input: StartLoginInput): Promise<LoginStep>;
  sendCode(input: ChannelParsedInput<'auth:send-code'>): Promise<ChannelOutput<'auth:send-code'>>;
  verifyCode(input: ChannelParsedInput<'auth:verify-code'>): Promise<LoginStep>;
  /**
   * Ends the session here and on the portal. The `auth:sign-out` channel is answered by
   * offline/offline-aware-sign-out.ts, which decorates this with the question about unsynced
   * drafts and the wipe of the offline copy.
   */
  signOut(): Promise<ChannelOutput<'auth:sign-out'>>;
  /** Sudo mode: asks the portal for a step-up challenge for this session (the id stays here). */
  startStepUp(): Promise<ChannelOutput<'auth:start-step-up'>>;
  sendStepUpCode(input: ChannelParsedInput<'auth:send-step-up-code'>): Promise<ChannelOutput<'auth:send-step-up-code'>>;
  verifyStepUp(input: ChannelParsedInput<'auth:verify-step-up'>): Promise<StepUpOutcome>;
  /** Restores a remembered sign-in (service start, portal change); true when signed in afterwards. */
  restore(): Promise<boolean>;
  /** The signed-in user, or IpcFailure('unauthenticated'). Checks the idle and absolute limits. */
  currentUser(): PortalUser;
  /** What the portal client needs from the session. */
  readonly tokens: TokenSource;
  dispose(): void;
}

export type StartLoginInput = Omit<ChannelParsedInput<'auth:start-login'>, 'keepOfflineCopy'> & { keepOfflineCopy?: boolean };

/** A sign-in with password and second factor just succeeded (not a restored one). */
export interface CompletedSignIn {
  user: PortalUser;
  portalOrigin: string;
  keepOfflineCopy: boolean;
  verifier: Verifier | null;
}

export interface AuthServiceOptions {
  /** The configured portal's client; throws IpcFailure('not_configured') when there is none. */
  portal: () => PortalClient;
  portalUrl: () => string | null;
  credentials: CredentialStore;
  remembered: RememberedSessionFile;
  emitter: ServiceEmitter;
  log: Logger;
  clock?: () => number;
  /** Called with the remember-me choice after a successful sign-in (persisted as the default). */
  onRememberMeChosen?: (rememberMe: boolean) => void;
  /** Makes the offline password verifier (scrypt) while the password is at hand, when an offline copy is wanted. */
  makeVerifier?: (password: string) => Promise<Verifier>;
  /** After a sign-in with password and second factor, before the renderer is told. */
  onSignedIn?: (signIn: CompletedSignIn) => Promise<void>;
  idleTimeoutMs?: number;
  absoluteTimeoutMs?: number;
  /** How often (real time) to look for a session that has run out, to tell the renderer. 0: never. */
  expiryCheckIntervalMs?: number;
}

interface PendingLogin {
  challengeId: string;
  methods: Extract<LoginStep, { step: 'second_factor_required' }>['methods'];
  destination: string | null;
  expiresAt: string;
  rememberMe: boolean;
  portalOrigin: string;
  keepOfflineCopy: boolean;
  verifier: Verifier | null;
}

interface Session {
  accessToken: string;
  refreshToken: string;
  user: PortalUser;
  portalOrigin: string;
  signedInAt: number;
  lastActivityAt: number;
  isRemembered: boolean;
  /** Unregisters the tokens from the log redactor. */
  forgetSecrets: () => void;
}

/** Registers a token pair with the log redactor; returns the function that unregisters both. */
function trackSecrets(accessToken: string, refreshToken: string): () => void {
  const forgetAccess = rememberSecret(accessToken);
  const forgetRefresh = rememberSecret(refreshToken);
  return () => {
    forgetAccess();
    forgetRefresh();
  };
}

type EndReason = 'signed_out' | 'idle' | 'absolute' | 'refused' | 'new_login';

const END_MESSAGES: Record<Exclude<EndReason, 'signed_out' | 'new_login'>, string> = {
  idle: 'You were signed out after 30 minutes without activity. Sign in again.',
  absolute: 'Sessions last at most 12 hours. Sign in again.',
  refused: MESSAGES.unauthenticated,
};

const anyBody = z.unknown();

export const REMEMBER_ME_FAILED =
  'You are signed in, but the system keychain cannot be reached, so this sign-in will not be remembered: you will sign in again next time. To use "Remember me", unlock the keychain (on Linux: start a Secret Service such as GNOME Keyring).';

export const KEYCHAIN_NOT_CLEARED =
  'The system keychain could not be reached, so anything Portal Admin keeps there for this account (a remembered sign-in, the key of its offline data) could not be removed. Unlock the keychain, then sign in and out again to remove it.';

/**
 * The sign-in state machine. Everything a renderer must never see stays in here: the password
 * (only inside `startLogin`), the challenge id, the access and refresh tokens.
 */
export function createAuthService(options: AuthServiceOptions): AuthService {
  const clock = options.clock ?? Date.now;
  const idleTimeoutMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  const absoluteTimeoutMs = options.absoluteTimeoutMs ?? ABSOLUTE_TIMEOUT_MS;
  const log = options.log;
  let pending: PendingLogin | null = null;
  let session: Session | null = null;
  let refreshing: Promise<boolean> | null = null;
  let restoring: Promise<boolean> | null = null;
  /** The open step-up challenge of the live session, if any. */
  let stepUp: { challengeId: string; session: Session } | null = null;

  function snapshot(): AuthState {
    return {
      signedIn: session !== null,
      user: session?.user ?? null,
      expiresAt: session ? new Date(deadlineOf(session)).toISOString() : null,
      pending: pending ? { methods: [...pending.methods], destination: pending.destination, expiresAt: pending.expiresAt } : null,
      portalUrl: options.portalUrl(),
    };
  }
  function emitState(): void {
    options.emitter.emit('auth:state-changed', snapshot());
  }
  function deadlineOf(current: Session): number {
    return Math.min(current.lastActivityAt + idleTimeoutMs, current.signedInAt + absoluteTimeoutMs);
  }
  function expiryReason(current: Session): 'idle' | 'absolute' | null {
    const now = clock();
    if (now - current.signedInAt >= absoluteTimeoutMs) return 'absolute';
    if (now - current.lastActivityAt >= idleTimeoutMs) return 'idle';
    return null;
  }

  /** The live session; one past its limits is ended here (and the renderer told). */
  function liveSession(): Session {
    if (!session) throw new IpcFailure('unauthenticated', 'Sign in first.');
    const reason = expiryReason(session);
    if (reason) {
      expire(reason);
      throw new IpcFailure('unauthenticated', END_MESSAGES[reason]);
    }
    return session;
  }

  async function forgetRemembered(portalOrigin: string, email: string): Promise<void> {
    options.remembered.clear();
    await options.credentials.deletePassword(KEYCHAIN_SERVICE, keychainAccount(portalOrigin, email));
  }

  /**
   * Forgets a remembered sign-in that is not the live session's (expired, replaced by a sign-in
   * without "Remember me", another account's): its refresh token is revoked on the portal first,
   * so a copy of it (a keychain backup, a stolen file) is worth nothing either. Best effort: the
   * portal's 12-hour limit ends the session anyway if it cannot be reached now.
   */
  async function revokeAndForgetRemembered(portalOrigin: string, email: string): Promise<void> {
    const account = keychainAccount(portalOrigin, email);
    const refreshToken = await options.credentials.getPassword(KEYCHAIN_SERVICE, account).catch(() => null);
    if (refreshToken) {
      try {
        const client = options.portal();
        if (client.origin === portalOrigin) {
          await client.request({ method: 'POST', path: '/auth/logout', body: { refreshToken }, authenticated: false, schema: anyBody });
        }
      } catch (error) {
        log.info('auth: a forgotten remembered sign-in could not be revoked on the portal now', { code: error instanceof IpcFailure ? error.code : 'unknown' });
      }
    }
    await forgetRemembered(portalOrigin, email);
  }

  /** Keeps the refresh token in the keychain; false (and nothing left behind) when it could not. */
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
        await forgetRemembered(current.portalOrigin, current.user.email);
      } catch (cleanupError) {
        log.warn('auth: could not remove the remembered sign-in', { error: cleanupError });
      }
      return false;
    }
  }

  /** Revokes the tokens on the portal; true when the portal confirmed. */
  async function revoke(ended: Session): Promise<boolean> {
    let client: PortalClient;
    try {
      client = options.portal();
    } catch {
      return false;
    }
    if (client.origin !== ended.portalOrigin) return false;
    try {
      await client.request({
        method: 'POST',
        path: '/auth/logout',
        body: { refreshToken: ended.refreshToken },
        bearer: ended.accessToken,
        authenticated: false,
        schema: anyBody,
      });
      return true;
    } catch (error) {
      if (error instanceof IpcFailure && error.code === 'unauthenticated') {
        // The access token has lapsed: the refresh token alone still names the session to revoke.
        try {
          await client.request({ method: 'POST', path: '/auth/logout', body: { refreshToken: ended.refreshToken }, authenticated: false, schema: anyBody });
          return true;
        } catch {
          return false;
        }
      }
      log.info('auth: sign-out could not reach the portal', { code: error instanceof IpcFailure ? error.code : 'unknown' });
      return false;
    }
  }

  /** Ends the session locally at once: nothing can use its tokens any more. */
  function detachSession(reason: EndReason): Session | null {
    const ended = session;
    const hadPending = pending !== null && reason !== 'new_login';
    session = null;
    refreshing = null;
    if (reason !== 'new_login') pending = null;
    if (ended || hadPending) emitState();
    return ended;
  }

  /**
   * After `detachSession`: revokes the session on the portal and removes the remembered entry
   * from the keychain, whatever the portal says. Returns whether the portal confirmed, and whether
   * the keychain could not be cleared.
   */
  async function finishEnding(ended: Session | null, reason: EndReason, revokeOnPortal: boolean): Promise<{ revoked: boolean; isKeychainLeft: boolean }> {
    const revoked = ended && revokeOnPortal ? await revoke(ended) : false;
    const remembered = options.remembered.read();
    const errors: unknown[] = [];
    try {
      if (ended) await forgetRemembered(ended.portalOrigin, ended.user.email);
    } catch (error) {
      errors.push(error);
    }
    try {
      if (remembered && (!ended || remembered.email !== ended.user.email || remembered.portalOrigin !== ended.portalOrigin)) {
        await revokeAndForgetRemembered(remembered.portalOrigin, remembered.email);
      }
    } catch (error) {
      errors.push(error);
    }
    options.remembered.clear();
    if (errors.length > 0) log.warn('auth: could not remove the remembered sign-in from the keychain', { error: errors[0], reason });
    if (ended) log.info('auth: session ended', { reason, revokedOnPortal: revoked });
    ended?.forgetSecrets();
    return { revoked, isKeychainLeft: errors.length > 0 };
  }

  /** A session ran out or was refused: end it now, clean up in the background. */
  function expire(reason: EndReason): void {
    const ended = detachSession(reason);
    if (ended) runInBackground(log, 'ending the session', () => finishEnding(ended, reason, reason !== 'refused'));
  }

  function startSession(tokens: z.infer<typeof tokenResponseSchema>, portalOrigin: string, signedInAt: number, isRemembered: boolean): Session {
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
    return session;
  }

  async function refresh(current: Session): Promise<boolean> {
    let tokens: z.infer<typeof tokenResponseSchema>;
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
    if (current.isRemembered) await remember(current);
    log.info('auth: access token refreshed');
    return true;
  }

  const tokens: TokenSource = {
    accessToken: () => liveSession().accessToken,
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
    },
    onUnauthenticated() {
      if (session) expire('refused');
    },
  };

  async function restoreOnce(): Promise<boolean> {
    if (session) return true;
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
      await revokeAndForgetRemembered(remembered.portalOrigin, remembered.email).catch((error: unknown) => log.warn('auth: could not remove an expired remembered sign-in', { error }));
      return false;
    }
    const account = keychainAccount(remembered.portalOrigin, remembered.email);
    const refreshToken = await options.credentials.getPassword(KEYCHAIN_SERVICE, account);
    if (!refreshToken) {
      options.remembered.clear();
      return false;
    }
    let answer: z.infer<typeof tokenResponseSchema>;
    try {
      answer = await client.request({ method: 'POST', path: '/auth/refresh', body: { refreshToken }, authenticated: false, schema: tokenResponseSchema });
    } catch (error) {
      const code = error instanceof IpcFailure ? error.code : 'server';
      if (code === 'offline' || code === 'timeout' || code === 'tls_untrusted' || code === 'server' || code === 'rate_limited') {
        log.info('auth: the remembered sign-in could not be restored now', { code });
        return false;
      }
      log.info('auth: the portal no longer accepts the remembered sign-in', { code });
      await forgetRemembered(remembered.portalOrigin, remembered.email);
      return false;
    }
    if (session) return true; // someone signed in meanwhile; theirs wins (the restored pair just lapses)
    const restored = startSession(answer, client.origin, remembered.signedInAt, true);
    await remember(restored);
    log.info('auth: remembered sign-in restored');
    emitState();
    return true;
  }

  const timer =
    (options.expiryCheckIntervalMs ?? 15_000) > 0
      ? setInterval(() => {
          const reason = session ? expiryReason(session) : null;
          if (reason) expire(reason);
        }, options.expiryCheckIntervalMs ?? 15_000)
      : null;
  timer?.unref();

  function stepFromFailure(error: unknown): LoginStep | null {
    if (!(error instanceof IpcFailure)) return null;
    switch (error.code) {
      case 'invalid_credentials':
        return { step: 'invalid_credentials' };
      case 'locked':
        // Without a wait, the portal said why (too many wrong codes): its words are shown.
        return error.extra.retryAfterSeconds === undefined
          ? { step: 'locked', retryAfterSeconds: null, message: error.message }
          : { step: 'locked', retryAfterSeconds: error.extra.retryAfterSeconds };
      case 'rate_limited':
        return { step: 'rate_limited', retryAfterSeconds: error.extra.retryAfterSeconds ?? 1 };
      case 'challenge_expired':
        pending = null;
        return { step: 'challenge_expired' };
      case 'invalid_code':
        return { step: 'invalid_code', attemptsLeft: error.extra.attemptsLeft ?? 0 };
      default:
        return null;
    }
  }

  return {
    tokens,
    async getState() {
      const reason = session ? expiryReason(session) : null;
      if (reason) expire(reason);
      return snapshot();
    },

    async startLogin(input) {
      const client = options.portal();
      if (session) await finishEnding(detachSession('new_login'), 'new_login', true);
      pending = null;
      const credentials = { email: input.email, password: input.password };
      const forgetPassword = rememberSecret(input.password);
      try {
        const challenge = await client.request({ method: 'POST', path: '/auth/login', body: credentials, authenticated: false, schema: challengeSchema });
        const keepOfflineCopy = input.keepOfflineCopy ?? false;
        // The portal accepted the password: the only moment a verifier for "Work offline" can be made.
        const verifier = keepOfflineCopy && options.makeVerifier ? await options.makeVerifier(credentials.password) : null;
        pending = {
          challengeId: challenge.challengeId,
          methods: challenge.methods,
          destination: challenge.destination,
          expiresAt: challenge.expiresAt,
          rememberMe: input.rememberMe,
          portalOrigin: client.origin,
          keepOfflineCopy,
          verifier,
        };
        emitState();
        return { step: 'second_factor_required', methods: [...challenge.methods], destination: challenge.destination, expiresAt: challenge.expiresAt };
      } catch (error) {
        const step = stepFromFailure(error);
        if (step) return step;
        if (error instanceof IpcFailure && error.code === 'forbidden') {
          // The password was right but the account has no second factor to finish with.
          throw new IpcFailure('forbidden', 'This account has no second factor (no cell phone number or authenticator app). Ask a portal administrator to add your cell phone number.');
        }
        throw error;
      } finally {
        // The password is not kept: the only references (the request body and the parsed input)
        // are cleared as soon as the portal has answered.
        credentials.password = '';
        input.password = '';
        forgetPassword();
      }
    },

    async sendCode(input) {
      const challenge = pending;
      if (!challenge) throw new IpcFailure('challenge_expired', 'No sign-in is waiting for a code. Start again with your email and password.');
      try {
        const answer = await options.portal().request({
          method: 'POST',
          path: `/auth/challenges/${encodeURIComponent(challenge.challengeId)}/send`,
          body: { method: input.method },
          authenticated: false,
          schema: sendCodeResponseSchema,
        });
        return { destination: answer.destination, resendAfterSeconds: answer.resendAfter, sendsLeft: answer.sendsLeft };
      } catch (error) {
        if (error instanceof IpcFailure && error.code === 'challenge_expired' && pending === challenge) {
          pending = null;
          emitState();
        }
        throw error;
      }
    },

    async verifyCode(input) {
      const challenge = pending;
      if (!challenge) return { step: 'challenge_expired' };
      const client = options.portal();
      let answer: z.infer<typeof tokenResponseSchema>;
      try {
        // Only the challenge id and the code: the password never travels again.
        answer = await client.request({
          method: 'POST',
          path: `/auth/challenges/${encodeURIComponent(challenge.challengeId)}/verify`,
          body: input.method === undefined ? { code: input.code } : { code: input.code, method: input.method },
          authenticated: false,
          schema: tokenResponseSchema,
        });
      } catch (error) {
        const step = stepFromFailure(error);
        if (step) {
          if (step.step === 'challenge_expired') emitState();
          return step;
        }
        throw error;
      }
      if (pending === challenge) pending = null;
      const started = startSession(answer, challenge.portalOrigin, clock(), challenge.rememberMe);
      let notice: string | undefined;
      if (challenge.rememberMe) {
        if (!(await remember(started))) notice = REMEMBER_ME_FAILED;
      } else {
        // An older remembered sign-in for this portal must not come back after this one.
        const remembered = options.remembered.read();
        if (remembered) await revokeAndForgetRemembered(remembered.portalOrigin, remembered.email).catch((error: unknown) => log.warn('auth: could not remove an older remembered sign-in', { error }));
      }
      options.onRememberMeChosen?.(challenge.rememberMe);
      try {
        await options.onSignedIn?.({ user: answer.user, portalOrigin: challenge.portalOrigin, keepOfflineCopy: challenge.keepOfflineCopy, verifier: challenge.verifier });
      } catch (error) {
        log.warn('auth: preparing the offline data after sign-in failed', { error });
      }
      log.info('auth: signed in', { role: answer.user.role, isRemembered: started.isRemembered, keepsOfflineCopy: challenge.keepOfflineCopy });
      emitState();
      return notice === undefined ? { step: 'signed_in', user: answer.user } : { step: 'signed_in', user: answer.user, notice };
    },

    async startStepUp() {
      const current = liveSession();
      const challenge = await options.portal().request({ method: 'POST', path: '/auth/step-up', body: {}, schema: challengeSchema });
      stepUp = { challengeId: challenge.challengeId, session: current };
      return { methods: [...challenge.methods], destination: challenge.destination, expiresAt: challenge.expiresAt };
    },

    async sendStepUpCode(input) {
      const open = stepUp;
      if (!open || open.session !== session) throw new IpcFailure('challenge_expired', 'No confirmation is waiting for a code. Start again.');
      const answer = await options.portal().request({
        method: 'POST',
        path: `/auth/challenges/${encodeURIComponent(open.challengeId)}/send`,
        body: { method: input.method },
        authenticated: false,
        schema: sendCodeResponseSchema,
      });
      return { destination: answer.destination, resendAfterSeconds: answer.resendAfter, sendsLeft: answer.sendsLeft };
    },

    async verifyStepUp(input) {
      const open = stepUp;
      if (!open || open.session !== session) return { step: 'challenge_expired' };
      try {
        await options.portal().request({
          method: 'POST',
          path: `/auth/step-up/${encodeURIComponent(open.challengeId)}/verify`,
          body: input.method === undefined ? { code: input.code } : { code: input.code, method: input.method },
          schema: stepUpResponseSchema,
        });
      } catch (error) {
        const step = stepFromFailure(error);
        if (step && step.step !== 'invalid_credentials' && step.step !== 'second_factor_required' && step.step !== 'signed_in') {
          if (step.step === 'challenge_expired' && stepUp === open) stepUp = null;
          return step;
        }
        throw error;
      }
      if (stepUp === open) stepUp = null;
      log.info('auth: second factor confirmed for a change (step-up)');
      return { step: 'verified' };
    },

    async signOut() {
      const { revoked, isKeychainLeft } = await finishEnding(detachSession('signed_out'), 'signed_out', true);
      return { revokedOnPortal: revoked, notCleared: isKeychainLeft ? [KEYCHAIN_NOT_CLEARED] : [] };
    },

    restore() {
      if (!restoring) {
        const flight = restoreOnce().finally(() => {
          if (restoring === flight) restoring = null;
        });
        restoring = flight;
      }
      return restoring;
    },

    currentUser: () => liveSession().user,

    dispose() {
      if (timer) clearInterval(timer);
    },
  };
}
