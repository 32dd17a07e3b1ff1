import type { AppliedChange, Draft, DraftsProgress, DraftsState } from '../../../common/drafts';

export type DraftsEvent = { event: 'drafts:changed'; payload: DraftsState } | { event: 'drafts:progress'; payload: DraftsProgress };

/**
 * What main tells the renderer about the drafts, from the state at each gathered change
 * (offline-wiring.ts gathers them into one event per 150 ms). While sync is not running: the whole
 * state (`drafts:changed`), as before. While it runs: only what changed since the last event
 * (`drafts:progress`: the status, the drafts new or changed, the ids gone, the changes applied). At
 * 10,000 drafts the whole state is 4 MB, and checking and copying it to the renderer held main for
 * 100–400 ms each time; a sync changes 100 drafts per batch.
 *
 * Changes are found by object identity: the drafts file hands out frozen drafts and replaces the
 * ones it changes (draft-store.ts). The whole state goes instead when the order of the drafts
 * changed otherwise than by drafts added at the end, or the file's problem changed — and when sync
 * stops running, so a window that asked for the state in the middle of a run (`drafts:get-state`)
 * and missed nothing but a draft made and gone again meanwhile ends exact.
 */
export interface DraftsFeed {
  next(state: DraftsState): DraftsEvent;
}

export function createDraftsFeed(): DraftsFeed {
  /** What the last event left the renderer with: the drafts (by id, in order) and the applied changes. */
  let sent: { drafts: Map<string, Draft>; order: string[]; applied: Set<string>; problem: string | null } | null = null;

  function remember(state: DraftsState): void {
    sent = {
      drafts: new Map(state.drafts.map((draft) => [draft.id, draft])),
      order: state.drafts.map((draft) => draft.id),
      applied: new Set(state.history.map((change) => change.draftId)),
      problem: state.problem,
    };
  }

  /** What changed since `sent`, or null when only the whole state says it. */
  function delta(state: DraftsState): DraftsProgress | null {
    if (!sent || state.problem !== sent.problem) return null;
    const current = new Set<string>();
    const changed: Draft[] = [];
    // Drafts already sent must come in the order sent (less the ones gone), new ones after them all.
    let position = 0;
    let isAdding = false;
    for (const draft of state.drafts) {
      current.add(draft.id);
      const before = sent.drafts.get(draft.id);
      if (before === undefined) {
        isAdding = true;
        changed.push(draft);
        continue;
      }
      if (isAdding) return null;
      while (position < sent.order.length && sent.order[position] !== draft.id) position++;
      if (position === sent.order.length) return null;
      if (before !== draft) changed.push(draft);
    }
    const removed = sent.order.filter((id) => !current.has(id));
    const known = sent.applied;
    const applied: AppliedChange[] = state.history.filter((change) => !known.has(change.draftId));
    return { sync: state.sync, changed, removed, applied };
  }

  return {
    next(state) {
      const progress = state.sync.state === 'running' ? delta(state) : null;
      remember(state);
      return progress ? { event: 'drafts:progress', payload: progress } : { event: 'drafts:changed', payload: state };
    },
  };
}
