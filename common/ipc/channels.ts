import { z } from 'zod';
import {
  employeeIdSchema,
  employeeListSchema,
  employeeSchema,
  EMPLOYEE_SORTS,
  loginRequestSchema,
  twoFactorMethodSchema,
  userSchema,
} from '../api';
import { NUMBER_CHANGE_CHANNELS } from './number-change-channels';
import { LANGUAGE_CHANNELS } from './language-channels';
import { draftSchema, draftsProgressSchema, draftsStateSchema, offlineCopyDaysSchema, offlineStateSchema, offlineUnlockStepSchema, syncStatusSchema } from '../drafts';
import { IMPORT_CHANNELS, IMPORT_EVENTS } from './import-channels';
import { EMPLOYEE_CACHE_CHANNELS } from './employee-cache-channels';
import { maxEmployeeRowsChars } from './employee-rows';

/** The most rows `employees:list-offline` answers at once. */
export const OFFLINE_PAGE_MAX = 5000;

/*
 * Every IPC channel, declared once: name (`domain:verb-noun`), input and output schema.
 * Main validates inputs with these (and the sender) before any service runs; the preload and the
 * browser-mode bridge build `window.portal` from the same table.
 */

const empty = z.strictObject({});

/** A CA bundle of a few certificates; larger files are not certificates meant for one portal. */
export const MAX_CA_CERTIFICATE_CHARS = 256 * 1024;

export const authStateSchema = z.object({
  signedIn: z.boolean(),
  user: userSchema.nullable(),
  /** When the session ends without activity or at the latest (ISO time). */
  expiresAt: z.string().nullable(),
  /** A login waiting for its second factor. */
  pending: z.object({ methods: z.array(twoFactorMethodSchema), destination: z.string().nullable(), expiresAt: z.string() }).nullable(),
  portalUrl: z.string().nullable(),
});
export type AuthState = z.infer<typeof authStateSchema>;

/** What one step of signing in led to. The challenge id never leaves main. */
export const loginStepSchema = z.discriminatedUnion('step', [
  z.object({
    step: z.literal('second_factor_required'),
    methods: z.array(twoFactorMethodSchema),
    destination: z.string().nullable(),
    expiresAt: z.string(),
  }),
  /** `notice`: what did not work out although the sign-in did (e.g. "Remember me" without a keychain). */
  z.object({ step: z.literal('signed_in'), user: userSchema, notice: z.string().max(500).optional() }),
  z.object({ step: z.literal('invalid_credentials') }),
  z.object({ step: z.literal('invalid_code'), attemptsLeft: z.number().int().nonnegative() }),
  z.object({ step: z.literal('challenge_expired') }),
  z.object({
    step: z.literal('locked'),
    retryAfterSeconds: z.number().int().nonnegative().nullable(),
    /** The portal's own words when it says why (e.g. too many wrong codes in a row). */
    message: z.string().max(300).optional(),
  }),
  z.object({ step: z.literal('rate_limited'), retryAfterSeconds: z.number().int().nonnegative() }),
]);
export type LoginStep = z.infer<typeof loginStepSchema>;

/** Sudo mode: a phone change asked for a fresh code; the challenge id stays in main. */
export const stepUpChallengeSchema = z.object({ methods: z.array(twoFactorMethodSchema), destination: z.string().nullable(), expiresAt: z.string() });
export const stepUpOutcomeSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('verified') }),
  z.object({ step: z.literal('invalid_code'), attemptsLeft: z.number().int().nonnegative() }),
  z.object({ step: z.literal('challenge_expired') }),
  z.object({ step: z.literal('locked'), retryAfterSeconds: z.number().int().nonnegative().nullable(), message: z.string().max(300).optional() }),
  z.object({ step: z.literal('rate_limited'), retryAfterSeconds: z.number().int().nonnegative() }),
]);
export type StepUpOutcome = z.infer<typeof stepUpOutcomeSchema>;

export const settingsSchema = z.object({
  portalUrl: z.string().nullable(),
  /** A PEM file whose certificate(s) are trusted for the portal besides the system CAs (a copy in the profile when chosen in Settings). */
  caFile: z.string().nullable(),
  /** SHA-256 of the portal certificate's DER, lower-case hex: trust exactly that certificate. */
  certificatePin: z.string().nullable(),
  rememberMe: z.boolean(),
  /** The portal is the demo portal that `npm start` brought up. */
  isDemoPortal: z.boolean(),
  /** Privacy mode: phone numbers masked on screen, and (Electron, Windows and macOS) the window kept out of screen capture. */
  privacyMode: z.boolean(),
  /**
   * The offline copy is deleted after this many days without an online sign-in. A copy keeps the
   * choice in force when it was made (in its authenticated record) if that was shorter.
   */
  offlineCopyDays: offlineCopyDaysSchema,
});
export type Settings = z.infer<typeof settingsSchema>;

export const launchPortalOfferSchema = z.object({
  portalUrl: z.string(),
  caFile: z.string().nullable(),
  /** SHA-256 of each certificate in the file, colon-separated hex, to compare with what IT gave. */
  caFingerprints: z.array(z.string()),
  /** Why the certificate file cannot be used (then saying yes fails with that reason). */
  caProblem: z.string().nullable(),
  /** The portal in use now, if any. */
  currentPortalUrl: z.string().nullable(),
});

export const connectionStateSchema = z.object({
  state: z.enum(['online', 'offline', 'unknown']),
  checkedAt: z.string().nullable(),
});
export type ConnectionState = z.infer<typeof connectionStateSchema>;

export const certificatePinSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 pin is 64 lower-case hex digits');

export const IPC_CHANNELS = {
  'auth:get-state': { input: empty, output: authStateSchema },
  'auth:start-login': {
    input: loginRequestSchema.extend({
      rememberMe: z.boolean().default(false),
      /** Keep an encrypted copy of the employee list for working offline (opt-in). */
      keepOfflineCopy: z.boolean().default(false),
    }),
    output: loginStepSchema,
  },
  'auth:send-code': {
    input: z.strictObject({ method: z.enum(['sms', 'voice']) }),
    output: z.object({ destination: z.string(), resendAfterSeconds: z.number().int().nonnegative(), sendsLeft: z.number().int().nonnegative() }),
  },
  'auth:verify-code': {
    input: z.strictObject({ code: z.string().regex(/^\d{6}$/, 'a code is 6 digits'), method: twoFactorMethodSchema.optional() }),
    output: loginStepSchema,
  },
  'auth:start-step-up': { input: empty, output: stepUpChallengeSchema },
  'auth:send-step-up-code': {
    input: z.strictObject({ method: z.enum(['sms', 'voice']) }),
    output: z.object({ destination: z.string(), resendAfterSeconds: z.number().int().nonnegative(), sendsLeft: z.number().int().nonnegative() }),
  },
  'auth:verify-step-up': {
    input: z.strictObject({ code: z.string().regex(/^\d{6}$/, 'a code is 6 digits'), method: twoFactorMethodSchema.optional() }),
    output: stepUpOutcomeSchema,
  },
  'auth:sign-out': {
    input: z.strictObject({
      /** What happens to unsynced drafts; required when there are any (else `unsynced_drafts`). */
      drafts: z.enum(['keep', 'discard']).optional(),
    }),
    /** `notCleared`: what could not be removed from this computer (the keychain, the offline data), in plain words. */
    output: z.object({ revokedOnPortal: z.boolean(), notCleared: z.array(z.string().max(500)).max(5) }),
  },
  'employees:list': {
    input: z.strictObject({
      q: z.string().max(200).optional(),
      sort: z.enum(EMPLOYEE_SORTS).optional(),
      order: z.enum(['asc', 'desc']).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
      cursor: z.string().max(512).optional(),
    }),
    output: employeeListSchema,
  },
  'employees:get': { input: z.strictObject({ id: employeeIdSchema }), output: employeeSchema },
  /** Ends a sign-in lock left by too many wrong codes (admins; needs a recent code, like a phone change). */
  'employees:unlock-sign-in': { input: z.strictObject({ id: employeeIdSchema }), output: employeeSchema },
  'employees:update': {
    input: z.strictObject({
      id: employeeIdSchema,
      /** The version the admin edited: sent as If-Match, so a stale edit becomes a conflict. */
      version: z.number().int().positive(),
      /**
       * The new number: the Edit Employee window sends it in E.164. Main checks whatever text
       * arrives with common/phone before sending (policy: common/phone/README.md; the portal checks
       * again). Null removes the number. No length limit of its own: the payload budget bounds it and the
       * phone rules answer `too_long`, the same rule as the portal's.
       */
      cellPhone: z.string().nullable(),
      /**
       * This save's key (common/api/idempotency.ts), kept by the window for every retry of the same
       * save so a retry after a lost answer is not applied twice. Main sends it as is and mints none.
       */
      idempotencyKey: z.uuid(),
    }),
    output: employeeSchema,
  },
  /**
   * The offline copy of the employee list (working offline), a page at a time. `rows`: the page as a
   * row block (employee-rows.ts), made by the copy's worker and passed on as it is; the window decodes
   * and checks it (decodeEmployeeRows).
   */
  'employees:list-offline': {
    input: z.strictObject({ offset: z.number().int().nonnegative().max(10_000_000), limit: z.number().int().min(1).max(OFFLINE_PAGE_MAX) }),
    /** `since`: the portal's time of the copy, for `employees:changes` (null: too old to tell, or no copy). */
    output: z.object({ rows: z.string().max(maxEmployeeRowsChars(OFFLINE_PAGE_MAX)), total: z.number().int().nonnegative(), asOf: z.string().nullable(), since: z.string().nullable().optional() }),
  },
  'drafts:get-state': { input: empty, output: draftsStateSchema },
  /** Drafts a change (or changes the employee's draft): answered only once it is on disk. */
  'drafts:save': {
    input: z.strictObject({
      /** The employee as the admin saw them: the draft's base (version and number). */
      employee: employeeSchema,
      /** The drafted number (the Edit Employee window sends E.164); main checks it with common/phone (`too_long` past 250 characters; policy: common/phone/README.md). */
      cellPhone: z.string(),
    }),
    output: draftSchema,
  },
  'drafts:discard': { input: z.strictObject({ id: z.uuid() }), output: z.object({ discarded: z.boolean() }) },
  /** A conflict's choice: re-send mine against the portal's version, or keep the portal's (draft discarded). */
  'drafts:resolve': {
    input: z.strictObject({ id: z.uuid(), choice: z.enum(['mine', 'portal']) }),
    output: z.object({ draft: draftSchema.nullable() }),
  },
  'drafts:sync-now': { input: empty, output: syncStatusSchema },
  /** "Review and send": the changes made while working offline may be sent now (with a portal session only). */
  'drafts:send-reviewed': { input: empty, output: draftsStateSchema },
  'offline:get-state': { input: empty, output: offlineStateSchema },
  /** Work offline: the portal password checked against the local verifier (5 tries). */
  'offline:unlock': {
    input: loginRequestSchema,
    output: offlineUnlockStepSchema,
  },
  'offline:leave': { input: empty, output: offlineStateSchema },
  'connection:get-state': { input: empty, output: connectionStateSchema },
  /** Probe the portal now (the OS said the network is back). */
  'connection:probe': { input: empty, output: connectionStateSchema },
  'settings:get': { input: empty, output: settingsSchema },
  'settings:set-portal': {
    input: z.strictObject({
      portalUrl: z.url({ protocol: /^https$/, hostname: z.regexes.hostname }).max(2048),
      /**
       * The CA certificate's PEM text, as chosen with a file picker (`settings:choose-ca-file`, or a
       * file input in browser mode); null: none; absent: the current one, for the same portal.
       * Never a path: the page must not learn which files exist on this computer.
       */
      caCertificate: z.string().min(1).max(MAX_CA_CERTIFICATE_CHARS).nullable().optional(),
      certificatePin: certificatePinSchema.nullable().optional(),
    }),
    output: settingsSchema,
  },
  ...IMPORT_CHANNELS,
  /** A portal given at launch to a packaged app, waiting for the admin's yes or no (null: none). */
  'settings:get-launch-portal': { input: empty, output: launchPortalOfferSchema.nullable() },
  'settings:answer-launch-portal': { input: z.strictObject({ accept: z.boolean() }), output: settingsSchema },
  'settings:set-privacy-mode': { input: z.strictObject({ isOn: z.boolean() }), output: settingsSchema },
  'settings:set-offline-copy-days': { input: z.strictObject({ days: offlineCopyDaysSchema }), output: settingsSchema },
  /** The OS file dialog (Electron), read by main: the chosen file's name and PEM text, null when cancelled. */
  'settings:choose-ca-file': {
    input: empty,
    output: z.object({
      /** False in browser mode: the page offers a file input instead. */
      isSupported: z.boolean(),
      file: z.object({ name: z.string().max(255), pem: z.string().max(MAX_CA_CERTIFICATE_CHARS) }).nullable(),
    }),
  },
  ...NUMBER_CHANGE_CHANNELS,
  ...LANGUAGE_CHANNELS,
  ...EMPLOYEE_CACHE_CHANNELS,
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type IpcChannel = keyof typeof IPC_CHANNELS;
export type ChannelInput<C extends IpcChannel> = z.input<(typeof IPC_CHANNELS)[C]['input']>;
export type ChannelParsedInput<C extends IpcChannel> = z.output<(typeof IPC_CHANNELS)[C]['input']>;
export type ChannelOutput<C extends IpcChannel> = z.output<(typeof IPC_CHANNELS)[C]['output']>;

/** Screens the application menu (and its shortcuts) can take the admin to. */
export const NAVIGATION_SCREENS = ['manage-employees', 'outbox', 'import-phones'] as const;
export const navigationRequestSchema = z.object({ screen: z.enum(NAVIGATION_SCREENS) });
export type NavigationRequest = z.infer<typeof navigationRequestSchema>;

export const IPC_EVENTS = {
  'auth:state-changed': authStateSchema,
  'connection:changed': connectionStateSchema,
  /** main → renderer: a menu item or shortcut asked for a screen. */
  'navigation:requested': navigationRequestSchema,
  'drafts:changed': draftsStateSchema,
  /** main → renderer while sync runs: what changed since the last drafts event (drafts:changed follows when it stops). */
  'drafts:progress': draftsProgressSchema,
  'offline:changed': offlineStateSchema,
  /** main → renderer: the screen locked or the computer went to sleep; numbers shown on demand are masked again. */
  'privacy:screen-locked': z.object({ reason: z.enum(['lock-screen', 'suspend']) }),
  ...IMPORT_EVENTS,
} as const satisfies Record<string, z.ZodType>;
export type IpcEvent = keyof typeof IPC_EVENTS;
export type EventPayload<E extends IpcEvent> = z.output<(typeof IPC_EVENTS)[E]>;

export function isIpcChannel(name: unknown): name is IpcChannel {
  return typeof name === 'string' && Object.hasOwn(IPC_CHANNELS, name);
}
export function isIpcEvent(name: unknown): name is IpcEvent {
  return typeof name === 'string' && Object.hasOwn(IPC_EVENTS, name);
}
