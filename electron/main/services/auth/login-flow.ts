import { challengeSchema, sendCodeResponseSchema, stepUpResponseSchema, tokenResponseSchema } from '../../../../common/api';
import { IpcFailure, type ChannelOutput, type ChannelParsedInput, type LoginStep, type StepUpOutcome } from '../../../../common/ipc';
import { rememberSecret } from '../../log';
import type { AuthServiceOptions, StartLoginInput } from './options';
import type { RememberedSignIn } from './remembered-sign-in';
import type { PortalTokens, Session, SessionKeeper } from './session';

export const REMEMBER_ME_FAILED =
  'You are signed in, but the system keychain cannot be reached, so this sign-in will not be remembered: you will sign in again next time. To use "Remember me", unlock the keychain (on Linux: start a Secret Service such as GNOME Keyring).';

export interface LoginFlowOptions {
  options: AuthServiceOptions;
  clock: () => number;
  keeper: SessionKeeper;
  remembered: RememberedSignIn;
}

/** Password then second factor; and the step-up (sudo mode) of a live session. */
export interface LoginFlow {
  startLogin(input: StartLoginInput): Promise<LoginStep>;
  sendCode(input: ChannelParsedInput<'auth:send-code'>): Promise<ChannelOutput<'auth:send-code'>>;
  verifyCode(input: ChannelParsedInput<'auth:verify-code'>): Promise<LoginStep>;
  startStepUp(): Promise<ChannelOutput<'auth:start-step-up'>>;
  sendStepUpCode(input: ChannelParsedInput<'auth:send-step-up-code'>): Promise<ChannelOutput<'auth:send-step-up-code'>>;
  verifyStepUp(input: ChannelParsedInput<'auth:verify-step-up'>): Promise<StepUpOutcome>;
}

export function createLoginFlow({ options, clock, keeper, remembered }: LoginFlowOptions): LoginFlow {
  const log = options.log;
  /** The open step-up challenge of the live session, if any. */
  let stepUp: { challengeId: string; session: Session } | null = null;

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
        keeper.pending = null;
        return { step: 'challenge_expired' };
      case 'invalid_code':
        return { step: 'invalid_code', attemptsLeft: error.extra.attemptsLeft ?? 0 };
      default:
        return null;
    }
  }

  return {
    async startLogin(input) {
      const client = options.portal();
      if (keeper.session) await keeper.finishEnding(keeper.detachSession('new_login'), 'new_login', true);
      keeper.pending = null;
      const credentials = { email: input.email, password: input.password };
      const forgetPassword = rememberSecret(input.password);
      try {
        const challenge = await client.request({ method: 'POST', path: '/auth/login', body: credentials, authenticated: false, schema: challengeSchema });
        const keepOfflineCopy = input.keepOfflineCopy ?? false;
        // The portal accepted the password: the only moment a verifier for "Work offline" can be made.
        const verifier = keepOfflineCopy && options.makeVerifier ? await options.makeVerifier(credentials.password) : null;
        keeper.pending = {
          challengeId: challenge.challengeId,
          methods: challenge.methods,
          destination: challenge.destination,
          expiresAt: challenge.expiresAt,
          rememberMe: input.rememberMe,
          portalOrigin: client.origin,
          keepOfflineCopy,
          verifier,
        };
        keeper.emitState();
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
      const challenge = keeper.pending;
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
        if (error instanceof IpcFailure && error.code === 'challenge_expired' && keeper.pending === challenge) {
          keeper.pending = null;
          keeper.emitState();
        }
        throw error;
      }
    },

    async verifyCode(input) {
      const challenge = keeper.pending;
      if (!challenge) return { step: 'challenge_expired' };
      const client = options.portal();
      let answer: PortalTokens;
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
          if (step.step === 'challenge_expired') keeper.emitState();
          return step;
        }
        throw error;
      }
      if (keeper.pending === challenge) keeper.pending = null;
      const started = keeper.startSession(answer, challenge.portalOrigin, clock(), challenge.rememberMe);
      let notice: string | undefined;
      if (challenge.rememberMe) {
        if (!(await remembered.remember(started))) notice = REMEMBER_ME_FAILED;
      } else {
        // An older remembered sign-in for this portal must not come back after this one.
        const entry = options.remembered.read();
        if (entry) await remembered.revokeAndForget(entry.portalOrigin, entry.email).catch((error: unknown) => log.warn('auth: could not remove an older remembered sign-in', { error }));
      }
      options.onRememberMeChosen?.(challenge.rememberMe);
      try {
        await options.onSignedIn?.({ user: answer.user, portalOrigin: challenge.portalOrigin, keepOfflineCopy: challenge.keepOfflineCopy, verifier: challenge.verifier });
      } catch (error) {
        log.warn('auth: preparing the offline data after sign-in failed', { error });
      }
      log.info('auth: signed in', { role: answer.user.role, isRemembered: started.isRemembered, keepsOfflineCopy: challenge.keepOfflineCopy });
      keeper.emitState();
      return notice === undefined ? { step: 'signed_in', user: answer.user } : { step: 'signed_in', user: answer.user, notice };
    },

    async startStepUp() {
      const current = keeper.liveSession();
      const challenge = await options.portal().request({ method: 'POST', path: '/auth/step-up', body: {}, schema: challengeSchema });
      stepUp = { challengeId: challenge.challengeId, session: current };
      return { methods: [...challenge.methods], destination: challenge.destination, expiresAt: challenge.expiresAt };
    },

    async sendStepUpCode(input) {
      const open = stepUp;
      if (!open || open.session !== keeper.session) throw new IpcFailure('challenge_expired', 'No confirmation is waiting for a code. Start again.');
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
      if (!open || open.session !== keeper.session) return { step: 'challenge_expired' };
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
  };
}
