import type { Draft, DraftState } from '../../common/drafts';
import { displayPhone } from './display-phone';

/** The short word on a draft's chip. */
export const DRAFT_STATE_LABELS: Readonly<Record<DraftState, string>> = {
  pending: 'Draft',
  syncing: 'Sending',
  synced: 'Synced',
  conflict: 'Conflict',
  rejected: 'Rejected',
  failed: 'Retrying',
};

/** What the state means, for a screen reader ("not yet synced"). */
const DRAFT_STATE_PHRASES: Readonly<Record<DraftState, string>> = {
  pending: 'not yet synced',
  syncing: 'being sent to the portal',
  synced: 'synced',
  conflict: 'in conflict with the portal’s number',
  rejected: 'rejected by the portal',
  failed: 'not yet synced, will be retried',
};

/** "Draft: +1 212 555 0177, not yet synced": the accessible name of a draft's badge. */
export function draftBadgeLabel(draft: Pick<Draft, 'cellPhone' | 'state'>, phone: string = displayPhone(draft.cellPhone)): string {
  return `Draft: ${phone}, ${DRAFT_STATE_PHRASES[draft.state]}`;
}

/** The chip's colour class (chip--draft-…), shared by the grid and the Outbox. */
export function draftChipClass(state: DraftState): string {
  return `draft-chip draft-chip--${state}`;
}
