import { newIdempotencyKey, type LookupEmployee } from '../../../common/api';
import type { Draft, DraftsState, SyncStatus } from '../../../common/drafts';
import { IpcFailure, type ChannelOutput, type ChannelParsedInput } from '../../../common/ipc';
import { explainPhoneRefusal, validatePhone } from '../../../common/phone';
import type { Logger } from '../log';
import type { ActiveAccount, OfflineService } from './offline-service';
import { requireAccount } from './offline-service';
import type { SyncEngine } from './sync-engine';

/**
 * The drafts channels: save (one draft per employee, acknowledged only once on disk), discard,
 * resolve a conflict, and the state the outbox shows. Sending is the sync engine's job.
 */
export interface DraftsService {
  getState(): Promise<DraftsState>;
  /** The state as known now, without resolving the account again (events). */
  snapshotState(): DraftsState;
  /** The employee: what the draft keeps of them (the channel sends the whole employee, an import's check what it read). */
  save(input: { employee: LookupEmployee; cellPhone: string }): Promise<Draft>;
  discard(input: ChannelParsedInput<'drafts:discard'>): Promise<ChannelOutput<'drafts:discard'>>;
  resolve(input: ChannelParsedInput<'drafts:resolve'>): Promise<ChannelOutput<'drafts:resolve'>>;
  syncNow(): Promise<SyncStatus>;
  /** "Review and send": releases the drafts made while working offline (portal session only). */
  sendReviewed(): Promise<DraftsState>;
}

export interface DraftsServiceOptions {
  offline: OfflineService;
  engine: SyncEngine;
  onChange: () => void;
  log: Logger;
  clock?: () => number;
  /** Test knob: the draft ids' and idempotency keys' source (default: common/api's `newIdempotencyKey`, a random UUID). */
  newKey?: () => string;
}

const NOT_AN_ADMIN = 'Only a portal administrator may change numbers.';
/** These transactions put new drafts in place of old ones and change none in place: no draft is copied for them. */
const REPLACES_DRAFTS = { only: new Set<string>() };

/**
 * A draft made or changed while working offline is held until the admin, signed in with the
 * portal, reviews the outbox and sends it: whoever unlocked the offline copy never sends anything
 * with the next portal session by themselves.
 */
function heldForReview(account: ActiveAccount, existing: Draft | undefined): Pick<Draft, 'isHeldForReview'> {
  return account.isOfflineSession || existing?.isHeldForReview === true ? { isHeldForReview: true } : {};
}

export const DRAFTS_NEED_KEYCHAIN =
  'Drafts cannot be kept on this computer: they are encrypted with a key held in the system keychain, which cannot be reached. Save changes straight to the portal while it is reachable, or unlock the keychain (on Linux: start a Secret Service such as GNOME Keyring) and save the draft again.';

/** The keychain's failure as what it means here: no drafts (a sign-in is not affected). */
async function withDraftsKeychainMessage<T>(operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    if (error instanceof IpcFailure && error.code === 'keychain_unavailable') throw new IpcFailure('keychain_unavailable', DRAFTS_NEED_KEYCHAIN);
    throw error;
  }
}

export function createDraftsService(options: DraftsServiceOptions): DraftsService {
  const clock = options.clock ?? Date.now;
  const newKey = options.newKey ?? newIdempotencyKey;
  const iso = () => new Date(clock()).toISOString();

  function stateOf(account: ActiveAccount | null): DraftsState {
    const store = account?.drafts ?? null;
    return {
      drafts: store ? [...store.drafts()] : [],
      history: store ? [...store.history()] : [],
      sync: options.engine.status(),
      problem: store?.problem ?? account?.snapshot?.problem ?? null,
      problemDetail: store?.problem ? store.problemDetail : (account?.snapshot?.problemDetail ?? null),
    };
  }

  async function storeFor(createDrafts: boolean): Promise<{ account: ActiveAccount; store: NonNullable<ActiveAccount['drafts']> | null }> {
    const account = requireAccount(await withDraftsKeychainMessage(options.offline.ensureActive({ createDrafts })));
    return { account, store: account.drafts };
  }

  function changed(): void {
    options.onChange();
    options.engine.kick();
  }

  function findDraft(store: ActiveAccount['drafts'], id: string): Draft {
    const draft = store?.get(id);
    if (!draft) throw new IpcFailure('not_found', 'This draft is no longer in the outbox (it was sent or discarded).');
    return draft;
  }

  return {
    async getState() {
      try {
        return stateOf(await options.offline.ensureActive());
      } catch (error) {
        // The outbox still opens: it says why drafts cannot be kept instead of failing.
        if (error instanceof IpcFailure && error.code === 'keychain_unavailable') return { ...stateOf(null), problem: DRAFTS_NEED_KEYCHAIN, problemDetail: { code: 'keychain_unavailable' } };
        throw error;
      }
    },

    snapshotState: () => stateOf(options.offline.active()),

    async save(input) {
      const { account, store } = await storeFor(true);
      if (account.user.role !== 'admin') throw new IpcFailure('forbidden', NOT_AN_ADMIN);
      if (!store) throw new IpcFailure('storage', 'The drafts file could not be opened.');
      const phone = validatePhone(input.cellPhone, account.user.company.country);
      if (!phone.ok) {
        const message = explainPhoneRefusal(input.cellPhone, account.user.company.country, phone.reason);
        throw new IpcFailure('validation', message, { fields: [{ field: 'cellPhone', code: phone.reason, message }] });
      }
      const { employee } = input;
      const existing = store.forEmployee(employee.id);
      if (!existing && phone.e164 === employee.cellPhone) {
        const message = 'This is already the number on record.';
        throw new IpcFailure('validation', message, { fields: [{ field: 'cellPhone', code: 'unchanged', message }] });
      }
      const now = iso();
      let saved: Draft;
      if (existing) {
        saved = {
          ...existing,
          cellPhone: phone.e164,
          // New content, new key: the old key stands for the old number (the portal refuses a reused key).
          idempotencyKey: newKey(),
          state: existing.state === 'conflict' ? 'conflict' : 'pending',
          attempts: 0,
          nextAttemptAt: null,
          error: existing.state === 'conflict' ? existing.error : null,
          updatedAt: now,
          ...heldForReview(account, existing),
        };
      } else {
        saved = {
          id: newKey(),
          employeeId: employee.id,
          employee: { firstName: employee.firstName, lastName: employee.lastName, email: employee.email },
          cellPhone: phone.e164,
          baseVersion: employee.version,
          basePhone: employee.cellPhone,
          idempotencyKey: newKey(),
          state: 'pending',
          createdAt: now,
          updatedAt: now,
          attempts: 0,
          nextAttemptAt: null,
          error: null,
          portal: null,
          ...heldForReview(account, undefined),
        };
      }
      try {
        store.transact((document) => {
          const index = document.drafts.findIndex((draft) => draft.id === saved.id);
          if (index === -1) document.drafts.push(saved);
          else document.drafts[index] = saved;
        }, REPLACES_DRAFTS);
      } catch (error) {
        if (error instanceof IpcFailure) throw error;
        options.log.error('drafts: could not write the drafts file', { error });
        throw new IpcFailure('storage', 'The draft could not be saved on this computer (the disk refused the write). Nothing was changed; try again.');
      }
      options.log.info('drafts: saved', { state: saved.state, isUpdate: existing !== undefined });
      changed();
      return saved;
    },

    async discard(input) {
      const { store } = await storeFor(false);
      const draft = findDraft(store, input.id);
      if (draft.state === 'syncing') {
        throw new IpcFailure('validation', 'This draft is being sent right now. Wait a moment; if it is still in the outbox afterwards, discard it then.');
      }
      store!.transact((document) => {
        document.drafts = document.drafts.filter((candidate) => candidate.id !== input.id);
      }, REPLACES_DRAFTS);
      changed();
      return { discarded: true };
    },

    async resolve(input) {
      const { store } = await storeFor(false);
      const draft = findDraft(store, input.id);
      if (draft.state !== 'conflict' || draft.portal === null) throw new IpcFailure('validation', 'This draft has no conflict to resolve.');
      const portal = draft.portal;
      if (input.choice === 'portal') {
        store!.transact((document) => {
          document.drafts = document.drafts.filter((candidate) => candidate.id !== input.id);
        }, REPLACES_DRAFTS);
        options.offline.applyEmployees([portal]);
        changed();
        return { draft: null };
      }
      // Mine on top: the same number, now made against the portal's version (so a new key).
      const next: Draft = {
        ...draft,
        baseVersion: portal.version,
        basePhone: portal.cellPhone,
        portal: null,
        state: 'pending',
        idempotencyKey: newKey(),
        attempts: 0,
        nextAttemptAt: null,
        error: null,
        updatedAt: iso(),
      };
      store!.transact((document) => {
        const index = document.drafts.findIndex((candidate) => candidate.id === next.id);
        if (index !== -1) document.drafts[index] = next;
      }, REPLACES_DRAFTS);
      changed();
      return { draft: next };
    },

    async sendReviewed() {
      const { account, store } = await storeFor(false);
      if (account.isOfflineSession) throw new IpcFailure('unauthenticated', 'Sign in with the portal to send the changes made offline.');
      if (store && store.drafts().some((draft) => draft.isHeldForReview === true)) {
        store.transact((document) => {
          document.drafts = document.drafts.map(({ isHeldForReview: _held, ...draft }) => draft);
        });
        options.log.info('drafts: changes made offline released for sending');
        changed();
      }
      return stateOf(account);
    },

    async syncNow() {
      await options.offline.ensureActive();
      await options.engine.run({ retryNow: true });
      return options.engine.status();
    },
  };
}
