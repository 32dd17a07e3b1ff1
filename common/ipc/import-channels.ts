import { z } from 'zod';

/**
 * The channels of "Import phone numbers" (a CSV dry run, then apply) — declared here and spread
 * into IPC_CHANNELS / IPC_EVENTS, so they are validated like every other channel.
 */

const empty = z.strictObject({});

/** The largest import file (100,000 rows of a wide export fit in a few MiB). */
export const IMPORT_MAX_FILE_BYTES = 32 * 1024 * 1024;
/** Data rows an import file may have. */
export const IMPORT_MAX_ROWS = 100_000;
/** Base64 characters per upload chunk: inside the 64 KiB IPC payload budget. */
export const IMPORT_CHUNK_CHARS = 48 * 1024;
/** Rows of each list the report carries (the counts are always complete; the result file has every row). */
export const IMPORT_REPORT_LIMIT = 2000;

export const IMPORT_PHASES = ['empty', 'loaded', 'checking', 'checked', 'applying', 'applied'] as const;

/** What main is doing during a check or an apply (the window words it). */
export const IMPORT_ACTIVITIES = ['reading', 'loading_employees', 'checking_rows', 'applying', 'waiting_for_code'] as const;
export type ImportActivity = (typeof IMPORT_ACTIVITIES)[number];

/**
 * Why a file cannot be checked or applied, as a code the window words in its language (main's
 * English `problem` is for the log): not a CSV, no phone column, too many rows…
 */
export const IMPORT_PROBLEM_CODES = [
  'file_too_large',
  'file_empty',
  'not_csv',
  'quote_not_closed',
  'text_after_quote',
  'too_many_rows',
  'no_header',
  'no_phone_column',
  'no_match_column',
  /** A request to the portal failed: `errorCode` says how. */
  'request_failed',
  /** Something unexpected in main (logged). */
  'failed',
] as const;
export type ImportProblemCode = (typeof IMPORT_PROBLEM_CODES)[number];

export const importProblemParamsSchema = z.object({
  /** file_too_large / file_empty: the file's name. */
  name: z.string().max(300).optional(),
  /** file_too_large: MiB; too_many_rows: rows. */
  max: z.number().int().nonnegative().optional(),
  /** not_csv / quote_not_closed / text_after_quote: the row the reading stopped at. */
  row: z.number().int().positive().optional(),
  /** no_phone_column: the column names found (the first 8, shortened). */
  columns: z.array(z.string().max(80)).max(8).optional(),
  /** request_failed: the IPC error code. */
  errorCode: z.string().max(64).optional(),
});
export type ImportProblemParams = z.infer<typeof importProblemParamsSchema>;

export const importFileSchema = z.object({ name: z.string(), size: z.number().int().nonnegative() });

export const importStateSchema = z.object({
  phase: z.enum(IMPORT_PHASES),
  file: importFileSchema.nullable(),
  /** What the file turned out to be, once read: encoding and delimiter found, data rows. */
  reading: z.object({ encoding: z.string(), delimiter: z.string(), rows: z.number().int().nonnegative() }).nullable(),
  /** What is being done now ("loading_employees"), with `progress`. */
  activity: z.enum(IMPORT_ACTIVITIES).nullable(),
  /** Checking: rows or employees so far; applying: changes sent so far. */
  progress: z.object({ done: z.number().int().nonnegative(), total: z.number().int().nonnegative() }).nullable(),
  counts: z.object({ changes: z.number().int(), unchanged: z.number().int(), errors: z.number().int() }).nullable(),
  outcome: z
    .object({
      applied: z.number().int(),
      conflicts: z.number().int(),
      refused: z.number().int(),
      notSent: z.number().int(),
      drafted: z.number().int(),
      isCancelled: z.boolean(),
      requests: z.number().int(),
    })
    .nullable(),
  /** Why the file cannot be checked or applied, in plain English for the log (the window words `problemCode`). */
  problem: z.string().nullable(),
  problemCode: z.enum(IMPORT_PROBLEM_CODES).nullable().optional(),
  problemParams: importProblemParamsSchema.optional(),
  /**
   * Applying, paused: the portal asks for a fresh second-factor code (sudo mode). The window asks
   * for it, then `import:continue-apply` sends the rest (or `import:cancel` stops).
   */
  needsStepUp: z.boolean().optional(),
});
export type ImportState = z.infer<typeof importStateSchema>;

export const IMPORT_CHANGE_STATUSES = ['pending', 'applied', 'conflict', 'refused', 'not_sent', 'drafted'] as const;
export type ImportChangeStatus = (typeof IMPORT_CHANGE_STATUSES)[number];

export const IMPORT_NOT_SENT_CODES = ['cancelled', 'request_refused', 'draft_failed'] as const;

export const importChangeSchema = z.object({
  row: z.number().int().positive(),
  employeeId: z.string(),
  name: z.string(),
  email: z.string(),
  oldPhone: z.string().nullable(),
  newPhone: z.string(),
  /** The version seen at the check: sent as If-Match. */
  version: z.number().int().positive(),
  warning: z.enum(['landline']).nullable(),
  status: z.enum(IMPORT_CHANGE_STATUSES),
  /** Why it was refused, or what a conflict found, in English (the result file; the window words the codes). */
  message: z.string().nullable(),
  /** conflict: the number the portal holds now (E.164, null for none), for the window to show through privacy mode. */
  portalPhone: z.string().nullable().optional(),
  /** not_sent: why (cancelled, the whole request refused, or no draft could be saved). */
  notSentCode: z.enum(IMPORT_NOT_SENT_CODES).optional(),
  /** refused: the portal's error code (a field's code first, else the HTTP status); not_sent: the IPC error code. */
  errorCode: z.string().max(64).optional(),
});
export type ImportChange = z.infer<typeof importChangeSchema>;

/** What is wrong with a row of the file (the window words each code; `message` is English, for the result file). */
export const IMPORT_ERROR_CODES = [
  'no_employee_key',
  'id_email_mismatch',
  'unknown_id',
  'unknown_email',
  'unknown_country',
  'no_number',
  'duplicate_same',
  'duplicate_different',
  'invalid_number',
] as const;
export type ImportErrorCode = (typeof IMPORT_ERROR_CODES)[number];

export const importErrorSchema = z.object({
  row: z.number().int().positive(),
  message: z.string(),
  code: z.enum(IMPORT_ERROR_CODES).optional(),
  /**
   * The cell the error is about, as the file has it: the number (invalid_number, shown through privacy
   * mode), the id (unknown_id, id_email_mismatch), the email (unknown_email) or the country (unknown_country).
   */
  value: z.string().optional(),
  /** id_email_mismatch: the email cell. */
  email: z.string().optional(),
  /** The employee's name, once the row was matched. */
  name: z.string().optional(),
  /** invalid_number: the phone rules' reason. */
  reason: z.string().optional(),
  /** duplicate_same / duplicate_different: the other row naming the same employee. */
  otherRow: z.number().int().positive().optional(),
});
export type ImportError = z.infer<typeof importErrorSchema>;

export const importReportSchema = z.object({
  changes: z.array(importChangeSchema),
  errors: z.array(importErrorSchema),
  totalChanges: z.number().int().nonnegative(),
  totalErrors: z.number().int().nonnegative(),
});
export type ImportReport = z.infer<typeof importReportSchema>;

export const IMPORT_CHANNELS = {
  'import:get-state': { input: empty, output: importStateSchema },
  /** Electron: the native Open dialog, in main. `isAvailable` false in browser mode (use a file input and upload). */
  'import:pick-file': { input: empty, output: z.object({ isAvailable: z.boolean(), state: importStateSchema }) },
  /** Browser mode: the chosen file's bytes, in base64 chunks in order; offset 0 starts a new file. */
  'import:upload-chunk': {
    input: z.strictObject({
      name: z.string().min(1).max(255),
      size: z.number().int().min(1).max(IMPORT_MAX_FILE_BYTES),
      offset: z.number().int().nonnegative().max(IMPORT_MAX_FILE_BYTES),
      data: z.base64().max(IMPORT_CHUNK_CHARS),
    }),
    output: importStateSchema,
  },
  /** The dry run: starts it and answers at once; `import:changed` follows it. Nothing is sent to the portal. */
  'import:check': { input: empty, output: importStateSchema },
  'import:get-report': { input: empty, output: importReportSchema },
  /** Sends the checked changes (batches of up to 100); answers at once, `import:changed` follows. */
  'import:apply': { input: empty, output: importStateSchema },
  /** Stops an apply after the batch in flight (sent batches stay applied). */
  'import:cancel': { input: empty, output: importStateSchema },
  /** After a step-up code was accepted: the paused apply goes on where it stopped. */
  'import:continue-apply': { input: empty, output: importStateSchema },
  /** Every row of the last check or apply and what became of it, as CSV text for the admin to save. */
  'import:result-file': { input: empty, output: z.object({ fileName: z.string(), content: z.string() }) },
  'import:reset': { input: empty, output: importStateSchema },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export const IMPORT_EVENTS = {
  'import:changed': importStateSchema,
} as const satisfies Record<string, z.ZodType>;
