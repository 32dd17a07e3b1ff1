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
  /** What the last event left the renderer with: the drafts in order (and by id), the applied changes, the problem. */
  let sent: { order: Draft[]; byId: Map<string, Draft>; applied: Set<string>; problem: string | null } | null = null;

  function rememberWhole(state: DraftsState): void {
    sent = {
      order: [...state.drafts],
      byId: new Map(state.drafts.map((draft) => [draft.id, draft])),
      applied: new Set(state.history.map((change) => change.draftId)),
      problem: state.problem,
    };
  }

  /**
   * What changed since `sent` (and `sent` moved on to it), or null when only the whole state says it.
   * One pass over the drafts against the ones sent, in order: no set or map of all of them is built
   * (at 10,000 drafts that cost main more than the event itself).
   */
  function delta(state: DraftsState): DraftsProgress | null {
    if (!sent || state.problem !== sent.problem) return null;
    const { order, byId } = sent;
    const changed: Draft[] = [];
    const removed: string[] = [];
    const added: Draft[] = [];
    let position = 0;
    for (const draft of state.drafts) {
      if (!byId.has(draft.id)) {
        added.push(draft);
        continue;
      }
      // Drafts already sent come in the order sent (less the ones gone), new ones after them all.
      if (added.length > 0) return null;
      let at = position;
      while (at < order.length && order[at]!.id !== draft.id) at++;
      if (at === order.length) return null;
      for (; position < at; position++) removed.push(order[position]!.id);
      if (order[position] !== draft) changed.push(draft);
      position++;
    }
    for (; position < order.length; position++) removed.push(order[position]!.id);
    changed.push(...added);
    const applied: AppliedChange[] = state.history.filter((change) => !sent!.applied.has(change.draftId));

    for (const id of removed) byId.delete(id);
    for (const draft of changed) byId.set(draft.id, draft);
    sent = { order: [...state.drafts], byId, applied: new Set(state.history.map((change) => change.draftId)), problem: state.problem };
    return { sync: state.sync, changed, removed, applied };
  }

  return {
    next(state) {
      const progress = state.sync.state === 'running' ? delta(state) : null;
      if (progress) return { event: 'drafts:progress', payload: progress };
      rememberWhole(state);
      return { event: 'drafts:changed', payload: state };
    },
  };
}
