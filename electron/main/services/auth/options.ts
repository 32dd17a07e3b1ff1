import type { z } from 'zod';
import type { PortalUser, tokenResponseSchema } from '../../../../common/api';
import type { ChannelParsedInput } from '../../../../common/ipc';
import type { Logger } from '../../log';
import type { CredentialStore } from '../../infra/credential-store';
import type { ServiceEmitter } from '../../infra/events';
import type { PortalClient } from '../../infra/portal-client';
import type { Verifier } from '../../infra/offline-verifier';
import type { RememberedSessionFile } from '../remembered-session';

/* What the auth service is made with, shared by its parts (login flow, session, remembered sign-in). */

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

/** A live portal session (the session keeper's; the remembered sign-in reads it). */
export interface Session {
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

/** The token pair the portal answers a sign-in or refresh with. */
export type PortalTokens = z.infer<typeof tokenResponseSchema>;
