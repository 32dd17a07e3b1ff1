import { z } from 'zod';
import { appliedChangeSchema, draftSchema, type AppliedChange, type Draft } from '../../../common/drafts';
import type { Logger } from '../log';
import { loadSealedDocument, type Migrations, type SealedDocument, type SealedDocumentOptions } from './sealed-document';

/** The drafts file of one account: unsynced drafts (oldest first) and the history of applied ones. */
export const DRAFTS_SCHEMA_VERSION = 1;
export const HISTORY_LIMIT = 200;

export const draftsDocumentSchema = z.strictObject({
  schemaVersion: z.literal(DRAFTS_SCHEMA_VERSION),
  drafts: z.array(draftSchema),
  history: z.array(appliedChangeSchema),
});
export type DraftsDocument = z.infer<typeof draftsDocumentSchema>;

/** Upgrades from older drafts files, keyed by the version they upgrade from (version 1 is the first). */
export const DRAFTS_MIGRATIONS: Migrations = {};

export interface DraftStore {
  drafts(): readonly Draft[];
  history(): readonly AppliedChange[];
  get(id: string): Draft | undefined;
  forEmployee(employeeId: string): Draft | undefined;
  /**
   * Changes the document and writes it durably, in one write: when it returns, the change is on
   * disk; when it throws, nothing changed (in memory or on disk).
   */
  transact(mutate: (document: DraftsDocument) => void): void;
  readonly problem: string | null;
}

export interface DraftStoreOptions {
  file: string;
  key: Buffer;
  /** The account the file belongs to (bound into the encryption). */
  account: string;
  log: Logger;
  migrations?: Migrations;
  now?: () => number;
  /** Rollback protection (sealed-document.ts). */
  generations?: SealedDocumentOptions<DraftsDocument>['generations'];
}

export function openDraftStore(options: DraftStoreOptions): DraftStore {
  const document: SealedDocument<DraftsDocument> = loadSealedDocument({
    file: options.file,
    key: options.key,
    associatedData: `drafts|${options.account}`,
    schema: draftsDocumentSchema,
    currentVersion: DRAFTS_SCHEMA_VERSION,
    migrations: options.migrations ?? DRAFTS_MIGRATIONS,
    empty: () => ({ schemaVersion: DRAFTS_SCHEMA_VERSION, drafts: [], history: [] }),
    label: 'drafts',
    log: options.log,
    now: options.now,
    generations: options.generations,
  });

  return {
    drafts: () => document.read().drafts,
    history: () => document.read().history,
    get: (id) => document.read().drafts.find((draft) => draft.id === id),
    forEmployee: (employeeId) => document.read().drafts.find((draft) => draft.employeeId === employeeId),
    transact(mutate) {
      const next = structuredClone(document.read());
      mutate(next);
      if (next.history.length > HISTORY_LIMIT) next.history.length = HISTORY_LIMIT;
      document.write(next);
    },
    get problem() {
      return document.problem;
    },
  };
}
