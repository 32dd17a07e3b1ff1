import type { PortalUser } from '../../../common/api';
import type { AuthState, ChannelOutput, ChannelParsedInput, LoginStep, StepUpOutcome } from '../../../common/ipc';
import type { TokenSource } from '../infra/portal-client';
import { createLoginFlow } from './auth/login-flow';
import { createPendingRevokes } from './auth/pending-revokes';
import { createRememberedSignIn } from './auth/remembered-sign-in';
import { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS, createSessionKeeper } from './auth/session';

export { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS } from './auth/session';
export { REMEMBER_ME_FAILED } from './auth/login-flow';

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

export type { AuthServiceOptions, CompletedSignIn, StartLoginInput } from './auth/options';
import type { AuthServiceOptions, StartLoginInput } from './auth/options';

export const KEYCHAIN_NOT_CLEARED =
  'The system keychain could not be reached, so anything Portal Admin keeps there for this account (a remembered sign-in, the key of its offline data) could not be removed. Unlock the keychain, then sign in and out again to remove it.';

/**
 * The sign-in state machine. Everything a renderer must never see stays in here: the password
 * (only inside `startLogin`), the challenge id, the access and refresh tokens. Its parts: the live
 * session (auth/session.ts), "Remember me" (auth/remembered-sign-in.ts), password and second
 * factor (auth/login-flow.ts).
 */
export function createAuthService(options: AuthServiceOptions): AuthService {
  const clock = options.clock ?? Date.now;
  const absoluteTimeoutMs = options.absoluteTimeoutMs ?? ABSOLUTE_TIMEOUT_MS;
  const pendingRevokes = createPendingRevokes(options);
  const remembered = createRememberedSignIn({
    options,
    clock,
    absoluteTimeoutMs,
    pendingRevokes,
    sessions: {
      isSignedIn: () => keeper.session !== null,
      start: (tokens, portalOrigin, signedInAt, isRemembered) => keeper.startSession(tokens, portalOrigin, signedInAt, isRemembered),
      emitState: () => keeper.emitState(),
    },
  });
  const keeper = createSessionKeeper({ options, clock, idleTimeoutMs: options.idleTimeoutMs ?? IDLE_TIMEOUT_MS, absoluteTimeoutMs, remembered, pendingRevokes });
  const login = createLoginFlow({ options, clock, keeper, remembered });
  let restoring: Promise<boolean> | null = null;

  return {
    tokens: keeper.tokens,
    async getState() {
      keeper.expireIfDue();
      return keeper.snapshot();
    },
    startLogin: (input) => login.startLogin(input),
    sendCode: (input) => login.sendCode(input),
    verifyCode: (input) => login.verifyCode(input),
    startStepUp: () => login.startStepUp(),
    sendStepUpCode: (input) => login.sendStepUpCode(input),
    verifyStepUp: (input) => login.verifyStepUp(input),

    async signOut() {
      const { revoked, isKeychainLeft } = await keeper.finishEnding(keeper.detachSession('signed_out'), 'signed_out', true);
      return { revokedOnPortal: revoked, notCleared: isKeychainLeft ? [KEYCHAIN_NOT_CLEARED] : [] };
    },

    restore() {
      if (!restoring) {
        const flight = remembered.restore().finally(() => {
          if (restoring === flight) restoring = null;
        });
        restoring = flight;
      }
      return restoring;
    },

    currentUser: () => keeper.liveSession().user,
    dispose: () => keeper.dispose(),
  };
}
