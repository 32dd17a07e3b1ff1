import { z } from 'zod';
import { appliedChangeSchema, draftSchema, HISTORY_LIMIT, type AppliedChange, type Draft, type StoredFileProblem } from '../../../common/drafts';
import { withDraftChanges } from '../../../common/drafts/changes';
import type { Logger } from '../log';
import { deepFreeze, loadSealedDocument, type Migrations, type SealedDocument, type SealedDocumentOptions } from './sealed-document';

/** The drafts file of one account: unsynced drafts (oldest first) and the history of applied ones. */
export const DRAFTS_SCHEMA_VERSION = 1;
export { HISTORY_LIMIT };

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
   * `only`: the ids of the drafts `mutate` may change in place; only those are copied for it (the
   * others stay frozen: changing one throws, and nothing is written). Without it, every draft is.
   */
  transact(mutate: (document: DraftsDocument) => void, options?: { only: ReadonlySet<string> }): void;
  readonly problem: string | null;
  readonly problemDetail: StoredFileProblem | null;
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

/**
 * One journal record: the drafts removed, the drafts changed or added (added ones go last, in this
 * order) and, when it changed, the whole history (at most HISTORY_LIMIT entries).
 */
const journalRecordSchema = z.strictObject({
  removed: z.array(z.string()),
  upserted: z.array(draftSchema),
  history: z.array(appliedChangeSchema).optional(),
});
type JournalRecord = z.infer<typeof journalRecordSchema>;

function applyRecord(document: DraftsDocument, input: unknown): DraftsDocument {
  const record = journalRecordSchema.parse(input);
  return { ...document, drafts: withDraftChanges(document.drafts, record.removed, record.upserted), history: record.history ?? document.history };
}

const isShallowEqual = (left: object, right: object): boolean => {
  const leftKeys = Object.keys(left);
  if (leftKeys.length !== Object.keys(right).length) return false;
  return leftKeys.every((key) => Object.hasOwn(right, key) && (left as Record<string, unknown>)[key] === (right as Record<string, unknown>)[key]);
};

const isDraftLike = (draft: Draft | null | undefined): draft is Draft => draft !== null && typeof draft === 'object' && typeof draft.id === 'string';

/**
 * What `mutate` changed, as a journal record; null when the change cannot be one (drafts reordered,
 * an id twice, anything but drafts and history touched), then the whole file is written.
 *
 * One pass over both lists, in order, comparing objects (a draft left alone is the same object):
 * no map of every draft is made unless drafts were added, so a change to a few of 10,000 drafts
 * (each batch a sync sends) costs little more than walking the list.
 */
function changeOf(before: DraftsDocument, after: DraftsDocument): JournalRecord | null {
  if (Object.keys(after).length !== 3 || after.schemaVersion !== before.schemaVersion || !Array.isArray(after.drafts) || !Array.isArray(after.history)) return null;
  const removed: string[] = [];
  const upserted: Draft[] = [];
  let position = 0;
  let index = 0;
  for (; index < after.drafts.length; index++) {
    const draft = after.drafts[index];
    if (!isDraftLike(draft)) return null;
    // Drafts of `before` passed over were removed (or moved: then `draft` is not found below, and the check of additions refuses it).
    while (position < before.drafts.length && before.drafts[position]!.id !== draft.id) removed.push(before.drafts[position++]!.id);
    if (position === before.drafts.length) break;
    const old = before.drafts[position++]!;
    if (old !== draft && !isShallowEqual(old, draft)) upserted.push(draft);
  }
  while (position < before.drafts.length) removed.push(before.drafts[position++]!.id);
  if (index < after.drafts.length) {
    // The rest are additions, at the end: none may have an id of `before` (moved) or come twice.
    const known = new Set(before.drafts.map((draft) => draft.id));
    for (; index < after.drafts.length; index++) {
      const draft = after.drafts[index];
      if (!isDraftLike(draft) || known.has(draft.id)) return null;
      known.add(draft.id);
      upserted.push(draft);
    }
  }
  const isHistoryChanged = after.history.length !== before.history.length || after.history.some((entry, index) => entry !== before.history[index]);
  return { removed, upserted, ...(isHistoryChanged ? { history: after.history } : {}) };
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
    journal: { apply: applyRecord },
  });

  return {
    drafts: () => document.read().drafts,
    history: () => document.read().history,
    get: (id) => document.read().drafts.find((draft) => draft.id === id),
    forEmployee: (employeeId) => document.read().drafts.find((draft) => draft.employeeId === employeeId),
    transact(mutate, transactOptions) {
      // Shallow copies: what is left unchanged is shared (and stays frozen), so a transaction costs
      // what it changes, and one change is one appended journal record, not a rewrite of the file.
      const current = document.read();
      const only = transactOptions?.only;
      const next: DraftsDocument = { ...current, drafts: current.drafts.map((draft) => (only === undefined || only.has(draft.id) ? { ...draft } : draft)), history: [...current.history] };
      mutate(next);
      if (next.history.length > HISTORY_LIMIT) next.history.length = HISTORY_LIMIT;
      const change = changeOf(current, next);
      if (change === null) return document.write(next);
      if (change.removed.length === 0 && change.upserted.length === 0 && change.history === undefined) return;
      const record: JournalRecord = journalRecordSchema.parse(change);
      const result = deepFreeze(applyRecord(current, record));
      document.append(record, result);
    },
    get problem() {
      return document.problem;
    },
    get problemDetail() {
      return document.problemDetail;
    },
  };
}
