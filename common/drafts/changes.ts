/**
 * A list of drafts with some gone and some new or changed: the rest keep their places, a changed one
 * takes its old one's place, new ones go last (in the order given). How a drafts journal record is
 * applied (main) and how the Outbox follows `drafts:progress` (renderer). No zod here: the
 * renderer's first bundle imports it.
 */
export function withDraftChanges<T extends { id: string }>(drafts: readonly T[], removed: readonly string[], changed: readonly T[]): T[] {
  const gone = new Set(removed);
  const fresh = new Map(changed.map((draft) => [draft.id, draft]));
  const next: T[] = [];
  for (const draft of drafts) {
    if (gone.has(draft.id)) continue;
    next.push(fresh.get(draft.id) ?? draft);
    fresh.delete(draft.id);
  }
  next.push(...fresh.values());
  return next;
}
