import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { PortalUser, TwoFactorMethod } from '../../common/api';
import type { AuthState, IpcError, IpcResult, LoginStep } from '../../common/ipc';
import { attemptsLeftText, describeError, formatWait } from '../lib/errors';
import { t } from '../i18n';
import { portal } from '../services/portal';
import { useNavigationStore } from './navigation';
import { useNotificationsStore } from './notifications';
import { useOfflineStore } from './offline';
import { useSettingsStore } from './settings';

/** Where sign-in stands: the view shows one step at a time. */
export type SignInStep = 'loading' | 'settings' | 'credentials' | 'second_factor' | 'signed_in';

export interface Challenge {
  methods: TwoFactorMethod[];
  /** Where codes go, masked ("•••• 0142"); null for an authenticator app. */
  destination: string | null;
  expiresAt: string;
}

/** How the app is being used: signed in with the portal, working offline (the offline copy), or neither. */
export type SessionMode = 'portal' | 'offline' | 'none';

/** The sign-in page's sentence after a sign-out: what ended, and what could not be done. */
function signedOutNotice(result: IpcResult<{ revokedOnPortal: boolean; notCleared: string[] }>): string {
  if (!result.ok) return t('auth.signedOutHere', { reason: describeError(result.error) });
  const parts = [
    result.value.revokedOnPortal
      ? t('auth.signedOut')
      : t('auth.signedOutPortalUnreachable'),
    ...result.value.notCleared,
  ];
  return parts.join(' ');
}

/** What a sign-out led to: done, or main needs to know what happens to unsynced drafts first. */
export type SignOutOutcome = 'signed_out' | 'needs_drafts_choice' | 'failed' | 'busy';

export interface SentCode {
  method: 'sms' | 'voice';
  destination: string;
  sendsLeft: number;
}

export const useAuthStore = defineStore('auth', () => {
  const step = ref<SignInStep>('loading');
  const user = shallowRef<PortalUser | null>(null);
  const expiresAt = ref<string | null>(null);
  const email = ref('');
  const challenge = shallowRef<Challenge | null>(null);
  const method = ref<TwoFactorMethod | null>(null);
  const sentCode = shallowRef<SentCode | null>(null);
  /** When "Send a new code" may be used again (epoch milliseconds). */
  const resendAvailableAt = ref<number | null>(null);
  const attemptsLeft = ref<number | null>(null);
  /** What went wrong in the current step, in plain words. */
  const error = ref<string | null>(null);
  /** Something to tell on the sign-in page that is not an error (e.g. the session ended). */
  const notice = ref<string | null>(null);
  /** The code of the last failed call (`offline`: the sign-in page offers to work offline). */
  const errorCode = ref<IpcError['code'] | null>(null);
  const isBusy = ref(false);
  /** Sign-out waits for the portal and the keychain; the top bar shows progress meanwhile. */
  const isSigningOut = ref(false);
  let unsubscribe: (() => void) | null = null;
  const offline = useOfflineStore();

  const isSignedIn = computed(() => step.value === 'signed_in' && user.value !== null);
  /** Unlocked offline with the portal password: the shell shows the offline copy, edits become drafts. */
  const offlineUser = computed(() => (isSignedIn.value ? null : offline.user));
  const isWorkingOffline = computed(() => offlineUser.value !== null);
  const mode = computed<SessionMode>(() => (isSignedIn.value ? 'portal' : isWorkingOffline.value ? 'offline' : 'none'));
  /** The app shell shows (signed in with the portal, or working offline). */
  const hasSession = computed(() => mode.value !== 'none');
  /** Whoever uses the app now, with the portal or offline. */
  const currentUser = computed(() => (isSignedIn.value ? user.value : offlineUser.value));
  const isAdmin = computed(() => currentUser.value?.role === 'admin');
  const displayName = computed(() => (currentUser.value ? `${currentUser.value.firstName} ${currentUser.value.lastName}` : ''));
  /** The company's country: the default for national phone numbers. */
  const companyCountry = computed(() => currentUser.value?.company.country ?? null);

  // What a change of session clears is decided in one place: ./session-lifecycle.ts.

  /**
   * What the sign-in page needs, read in one round trip (the settings, the offline accounts and the
   * session at once). main.ts starts it before the app mounts; a second call joins the first.
   */
  let initializing: Promise<void> | null = null;
  function init(): Promise<void> {
    initializing ??= readStartState();
    return initializing;
  }

  async function readStartState(): Promise<void> {
    unsubscribe ??= portal.events.onAuthStateChanged(applyState);
    const [settings, result] = await Promise.all([useSettingsStore().load(), portal.auth.getState(), offline.init()]);
    if (settings !== null && settings.portalUrl === null) {
      step.value = 'settings';
      return;
    }
    if (result.ok) applyState(result.value);
    else {
      step.value = result.error.code === 'not_configured' ? 'settings' : 'credentials';
      error.value = describeError(result.error);
    }
  }

  /** After the portal address was saved on first run. */
  function portalConfigured(): void {
    error.value = null;
    step.value = 'credentials';
  }

  function openSettings(): void {
    error.value = null;
    step.value = 'settings';
  }

  /** State pushed by main (`auth:state-changed`) or read at start. */
  function applyState(state: AuthState): void {
    if (state.signedIn && state.user) {
      enterSignedIn(state.user, state.expiresAt);
      return;
    }
    const wasSignedIn = step.value === 'signed_in';
    if (wasSignedIn) {
      leaveSignedIn();
      if (!isSigningOut.value) notice.value = t('auth.sessionEnded');
    }
    if (state.pending && step.value !== 'second_factor') {
      enterChallenge({ methods: state.pending.methods, destination: state.pending.destination, expiresAt: state.pending.expiresAt });
    } else if (step.value === 'loading' || wasSignedIn) {
      step.value = 'credentials';
    }
  }

  /**
   * The password step's call. Main announces the second-factor step (`auth:state-changed`) just
   * before this call answers, so "Send code" can be pressed while it is still finishing: that press
   * waits for it instead of being dropped.
   */
  let signingIn: Promise<void> | null = null;

  function signIn(input: { email: string; password: string; rememberMe: boolean; keepOfflineCopy?: boolean }): Promise<void> {
    if (isBusy.value) return signingIn ?? Promise.resolve();
    const flight = submitPassword(input).finally(() => {
      if (signingIn === flight) signingIn = null;
    });
    signingIn = flight;
    return flight;
  }

  async function submitPassword(input: { email: string; password: string; rememberMe: boolean; keepOfflineCopy?: boolean }): Promise<void> {
    isBusy.value = true;
    error.value = null;
    errorCode.value = null;
    notice.value = null;
    email.value = input.email.trim();
    try {
      const result = await portal.auth.startLogin({
        email: email.value,
        password: input.password,
        rememberMe: input.rememberMe,
        keepOfflineCopy: input.keepOfflineCopy ?? false,
      });
      if (!result.ok) return fail(result.error);
      applyStep(result.value);
    } finally {
      isBusy.value = false;
    }
  }

  function chooseMethod(next: TwoFactorMethod): void {
    if (method.value === next) return;
    method.value = next;
    error.value = null;
  }

  async function sendCode(): Promise<void> {
    if (signingIn) await signingIn;
    const chosen = method.value;
    if (isBusy.value || (chosen !== 'sms' && chosen !== 'voice')) return;
    isBusy.value = true;
    error.value = null;
    try {
      const result = await portal.auth.sendCode({ method: chosen });
      if (!result.ok) {
        if (result.error.code === 'rate_limited' && result.error.retryAfterSeconds !== undefined) {
          resendAvailableAt.value = Date.now() + result.error.retryAfterSeconds * 1000;
        }
        return fail(result.error);
      }
      sentCode.value = { method: chosen, destination: result.value.destination, sendsLeft: result.value.sendsLeft };
      resendAvailableAt.value = Date.now() + result.value.resendAfterSeconds * 1000;
    } finally {
      isBusy.value = false;
    }
  }

  async function verifyCode(code: string): Promise<void> {
    if (signingIn) await signingIn;
    if (isBusy.value) return;
    const digits = code.normalize('NFKC').replace(/\D/g, '');
    if (digits.length !== 6) {
      error.value = t('auth.sixDigits');
      return;
    }
    isBusy.value = true;
    error.value = null;
    try {
      const result = await portal.auth.verifyCode(method.value ? { code: digits, method: method.value } : { code: digits });
      if (!result.ok) return fail(result.error);
      applyStep(result.value);
    } finally {
      isBusy.value = false;
    }
  }

  /** "Use a different account", or after the challenge is gone. */
  function startOver(message: string | null = null): void {
    resetChallenge();
    error.value = message;
    step.value = 'credentials';
  }

  /**
   * Signs out. With unsynced drafts main needs `drafts` (keep them encrypted for the next sign-in,
   * or discard them); without it the answer is `needs_drafts_choice`. Working offline, signing out
   * only stops working offline: the drafts stay and nothing is asked.
   */
  async function signOut(options: { drafts?: 'keep' | 'discard' } = {}): Promise<SignOutOutcome> {
    if (isWorkingOffline.value) {
      await leaveOffline();
      return 'signed_out';
    }
    if (isSigningOut.value) return 'busy';
    isSigningOut.value = true;
    try {
      const result = await portal.auth.signOut(options.drafts === undefined ? {} : { drafts: options.drafts });
      if (!result.ok && result.error.code === 'unsynced_drafts') return 'needs_drafts_choice';
      if (!result.ok && result.error.code === 'storage') {
        // The drafts could not be kept or discarded: stay signed in rather than lose them.
        useNotificationsStore().notify(describeError(result.error), 'error');
        return 'failed';
      }
      leaveSignedIn();
      step.value = 'credentials';
      notice.value = signedOutNotice(result);
      return 'signed_out';
    } finally {
      isSigningOut.value = false;
    }
  }

  /**
   * Stops working offline (drafts stay on this computer) and shows the sign-in page with the
   * account's email filled in: `toSignIn` when the portal is reachable again.
   */
  async function leaveOffline(toSignIn = false): Promise<void> {
    // The sign-in page shows as soon as main answers: it must find the email and notice ready.
    email.value = offlineUser.value?.email ?? email.value;
    resetChallenge();
    error.value = null;
    step.value = 'credentials';
    notice.value = toSignIn
      ? t('auth.signInToSend')
      : t('auth.stoppedOffline');
    await offline.leave();
  }

  function applyStep(outcome: LoginStep): void {
    switch (outcome.step) {
      case 'second_factor_required':
        enterChallenge(outcome);
        return;
      case 'signed_in':
        enterSignedIn(outcome.user, null);
        if (outcome.notice) useNotificationsStore().notify(outcome.notice, 'error');
        return;
      case 'invalid_credentials':
        error.value = t('errors.invalid_credentials');
        return;
      case 'invalid_code':
        attemptsLeft.value = outcome.attemptsLeft;
        if (outcome.attemptsLeft === 0) startOver(t('auth.noAttemptsLeft'));
        else error.value = t('errors.invalidCodeAttempts', { attempts: attemptsLeftText(outcome.attemptsLeft) });
        return;
      case 'challenge_expired':
        startOver(t('errors.challenge_expired'));
        return;
      case 'locked':
        error.value =
          outcome.retryAfterSeconds === null
            ? (outcome.message !== undefined ? t('errors.lockedWrongCodes') : t('errors.locked'))
            : t('auth.lockedFor', { wait: formatWait(outcome.retryAfterSeconds) });
        return;
      case 'rate_limited':
        error.value = t('errors.rateLimitedFor', { wait: formatWait(outcome.retryAfterSeconds) });
        return;
    }
  }

  function fail(failure: IpcError): void {
    errorCode.value = failure.code;
    if (failure.code === 'challenge_expired') return startOver(describeError(failure));
    if (failure.code === 'invalid_code' && failure.attemptsLeft !== undefined) attemptsLeft.value = failure.attemptsLeft;
    if (failure.code === 'not_configured') step.value = 'settings';
    error.value = describeError(failure);
  }

  function enterChallenge(next: Challenge): void {
    challenge.value = { methods: [...next.methods], destination: next.destination, expiresAt: next.expiresAt };
    // The portal lists the account's own method first (an authenticator app, a voice call…).
    method.value = next.methods[0] ?? null;
    sentCode.value = null;
    resendAvailableAt.value = null;
    attemptsLeft.value = null;
    error.value = null;
    step.value = 'second_factor';
  }

  function enterSignedIn(signedInUser: PortalUser, until: string | null): void {
    const isSameUser = user.value?.id === signedInUser.id;
    user.value = signedInUser;
    if (until !== null || !isSameUser) expiresAt.value = until;
    resetChallenge();
    error.value = null;
    notice.value = null;
    step.value = 'signed_in';
  }

  /** Forget the signed-in session; the employee list (PII) goes with it (session-lifecycle.ts). */
  function leaveSignedIn(): void {
    user.value = null;
    expiresAt.value = null;
    resetChallenge();
    useNavigationStore().open('home');
  }

  function resetChallenge(): void {
    challenge.value = null;
    method.value = null;
    sentCode.value = null;
    resendAvailableAt.value = null;
    attemptsLeft.value = null;
  }

  function dispose(): void {
    unsubscribe?.();
    unsubscribe = null;
    initializing = null;
    offline.dispose();
  }

  return {
    step,
    user,
    expiresAt,
    email,
    challenge,
    method,
    sentCode,
    resendAvailableAt,
    attemptsLeft,
    error,
    errorCode,
    notice,
    isBusy,
    isSigningOut,
    isSignedIn,
    offlineUser,
    isWorkingOffline,
    mode,
    hasSession,
    currentUser,
    isAdmin,
    displayName,
    companyCountry,
    init,
    portalConfigured,
    openSettings,
    applyState,
    signIn,
    chooseMethod,
    sendCode,
    verifyCode,
    startOver,
    signOut,
    leaveOffline,
    dispose,
  };
});
