import { z } from 'zod';
import { cellPhoneSchema, employeeIdSchema, employeeSchema, userSchema } from '../api';

/**
 * An offline edit (DESIGN.md, "Offline drafting and sync"): the employee, the new value, the
 * version it was made against, one idempotency key for every retry, times and a state.
 *
 *   pending  → syncing → synced (moved to the history)
 *                      → conflict  (the portal changed meanwhile: base / mine / portal, a choice)
 *                      → rejected  (the portal refused the value: editable)
 *                      → failed    (network, 5xx, 429: retried with backoff at `nextAttemptAt`)
 */
export const DRAFT_STATES = ['pending', 'syncing', 'synced', 'conflict', 'rejected', 'failed'] as const;
export const draftStateSchema = z.enum(DRAFT_STATES);
export type DraftState = z.infer<typeof draftStateSchema>;

/** What the draft shows of the employee (so the outbox needs no portal to name them). */
export const draftEmployeeSchema = z.object({
  firstName: z.string().max(100),
  lastName: z.string().max(100),
  email: z.string().max(254),
});

export const draftSchema = z.object({
  id: z.uuid(),
  employeeId: employeeIdSchema,
  employee: draftEmployeeSchema,
  /** Mine: the new cell phone number, E.164 (checked with common/phone when drafted). */
  cellPhone: z.string().regex(/^\+[1-9]\d{1,14}$/),
  /** Base: the version and number the admin saw when drafting; sent as If-Match. */
  baseVersion: z.number().int().positive(),
  basePhone: cellPhoneSchema,
  /** The same key on every retry, so a retry never applies the change twice. */
  idempotencyKey: z.uuid(),
  state: draftStateSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Sync attempts since the draft last changed. */
  attempts: z.number().int().nonnegative(),
  /** failed: when the next automatic retry is due. */
  nextAttemptAt: z.iso.datetime().nullable(),
  /** rejected / failed: why, in plain words. */
  error: z.object({ code: z.string().max(64), message: z.string().max(500) }).nullable(),
  /** conflict: the employee as the portal holds it now. */
  portal: employeeSchema.nullable(),
  /**
   * Made while working offline (unlocked with the password, no portal session): sent only after
   * the admin reviews it at an online sign-in ("Review and send").
   */
  isHeldForReview: z.boolean().optional(),
});
export type Draft = z.infer<typeof draftSchema>;

/** A change the portal applied: the local history of what sync did. */
export const appliedChangeSchema = z.object({
  draftId: z.uuid(),
  employeeId: employeeIdSchema,
  employee: draftEmployeeSchema,
  cellPhone: z.string().max(32),
  basePhone: cellPhoneSchema,
  /** The employee's version after the change. */
  version: z.number().int().positive(),
  appliedAt: z.iso.datetime(),
});
export type AppliedChange = z.infer<typeof appliedChangeSchema>;

/**
 * Why sync waits, as a code the renderer words in the language shown (`reason` stays main's English,
 * for logs): no portal session, the account's drafts not open yet, the portal unreachable, not an
 * admin, a second-factor code needed, or the last batch failed (`errorCode` says how).
 */
export const SYNC_WAIT_REASONS = ['sign_in', 'preparing', 'portal_unreachable', 'not_admin', 'step_up', 'send_failed'] as const;
export type SyncWaitReason = (typeof SYNC_WAIT_REASONS)[number];

export const syncStatusSchema = z.object({
  /** idle: nothing to do; running: batches are on their way; waiting: needs a portal sign-in, the portal, or a retry time (see reason). */
  state: z.enum(['idle', 'running', 'waiting']),
  /** Why sync is not running now (offline, not signed in with the portal…), in plain words. */
  reason: z.string().max(300).nullable(),
  reasonCode: z.enum(SYNC_WAIT_REASONS).nullable().optional(),
  /** send_failed: the failed batch's error code (an IPC error code). */
  errorCode: z.string().max(64).nullable().optional(),
  /** This run's progress. */
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  lastSyncAt: z.iso.datetime().nullable(),
  /** When the next automatic attempt is due (a backoff or Retry-After). */
  nextAttemptAt: z.iso.datetime().nullable(),
  /** Waiting for the admin to confirm with a fresh second-factor code (sudo mode); then sync again. */
  needsStepUp: z.boolean().optional(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

/**
 * A problem with the files kept on this computer, as a code the window words in its language (the
 * English `problem` sentence beside it is for the log): drafts impossible without the keychain, a
 * saved file missing, or one that could not be used and was kept aside.
 */
export const storedFileProblemSchema = z.object({
  code: z.enum(['keychain_unavailable', 'file_missing', 'file_kept_aside']),
  /** Which file: the drafts or the offline employee list. */
  file: z.enum(['drafts', 'employees']).optional(),
  /** file_kept_aside: why it could not be used. */
  reason: z.enum(['rolled_back', 'format', 'undecryptable']).optional(),
  /** file_kept_aside: the name it was kept under (null: it could not be moved). */
  keptAs: z.string().max(400).nullable().optional(),
});
export type StoredFileProblem = z.infer<typeof storedFileProblemSchema>;

export const draftsStateSchema = z.object({
  /** Every unsynced draft, oldest first. */
  drafts: z.array(draftSchema),
  /** The latest applied changes, newest first (at most 200). */
  history: z.array(appliedChangeSchema),
  sync: syncStatusSchema,
  /** A drafts file that could not be read and was kept aside (never deleted), in plain English. */
  problem: z.string().max(500).nullable(),
  /** The same as a code, for the window to word. */
  problemDetail: storedFileProblemSchema.nullable().optional(),
});
export type DraftsState = z.infer<typeof draftsStateSchema>;

/**
 * main → renderer while sync runs (`drafts:progress`), in place of the whole state (4 MB at 10,000
 * drafts): what changed since the last `drafts:changed` or `drafts:progress`. The whole state follows
 * once sync stops running.
 */
export const draftsProgressSchema = z.object({
  sync: syncStatusSchema,
  /** Drafts new or changed since, as they are now (new ones last, in main's order). */
  changed: z.array(draftSchema),
  /** Drafts gone since (synced, discarded), by id. */
  removed: z.array(z.uuid()),
  /** Changes applied since, newest first. */
  applied: z.array(appliedChangeSchema),
});
export type DraftsProgress = z.infer<typeof draftsProgressSchema>;


/** Offline access: is there an offline copy for this portal, and is it unlocked? */
export const offlineStateSchema = z.object({
  /** Accounts with an offline copy of this portal on this computer. */
  accounts: z.array(z.object({ email: z.string().max(254), asOf: z.iso.datetime().nullable(), isLocked: z.boolean() })),
  /** Working offline (unlocked with the password, no portal session): who. */
  user: userSchema.nullable(),
  /** When the employee list shown offline was last synced. */
  asOf: z.iso.datetime().nullable(),
});
export type OfflineState = z.infer<typeof offlineStateSchema>;

export const offlineUnlockStepSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('unlocked'), user: userSchema }),
  z.object({ step: z.literal('invalid_password'), attemptsLeft: z.number().int().nonnegative() }),
  /** 5 wrong passwords: offline access needs an online sign-in first. */
  z.object({ step: z.literal('locked') }),
  z.object({ step: z.literal('no_offline_copy') }),
  /** The offline copy is gone or cannot be trusted (it expired, its record was changed): why, in plain words. */
  z.object({
    step: z.literal('unavailable'),
    /** In English, for the log; the window words `reason`. */
    message: z.string().max(300),
    reason: z.enum(['expired', 'record_changed', 'file_problem']).optional(),
    /** expired: the days without an online sign-in after which the copy was deleted. */
    days: z.number().int().nonnegative().optional(),
    /** file_problem: what happened to the offline employee list's file. */
    problem: storedFileProblemSchema.optional(),
  }),
]);
export type OfflineUnlockStep = z.infer<typeof offlineUnlockStepSchema>;

export const MAX_OFFLINE_UNLOCK_ATTEMPTS = 5;
/** Without an online sign-in for this long, the offline copy is deleted (its drafts stay): the default of the setting. */
export const OFFLINE_COPY_MAX_AGE_DAYS = 14;
/** What the setting "Delete the offline copy after … without an online sign-in" offers, in days. */
export const OFFLINE_COPY_DAY_CHOICES = [1, 3, 7, 14, 30] as const;
export const offlineCopyDaysSchema = z.union(OFFLINE_COPY_DAY_CHOICES.map((days) => z.literal(days)));
export type OfflineCopyDays = z.infer<typeof offlineCopyDaysSchema>;
