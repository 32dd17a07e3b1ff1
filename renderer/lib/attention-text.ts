import { t, type MessageKey } from '../i18n';
import type { AttentionReason } from './attention';

/* What the grid says about the reasons in lib/attention (kept apart so that file stays free of the UI's messages). */

/** What each reason means for the employee, for the tooltip. */
export const ATTENTION_EXPLANATIONS: Readonly<Record<AttentionReason, MessageKey>> = {
  no_number: 'attention.noNumberExplained',
  landline: 'attention.landlineExplained',
  not_enrolled: 'attention.notEnrolledExplained',
  pending: 'attention.pendingExplained',
  locked_out: 'attention.lockedOutExplained',
};

/** "Needs attention: a landline: …; locked out after …" (empty when nothing does). */
export function describeAttention(reasons: readonly AttentionReason[]): string {
  if (reasons.length === 0) return '';
  return t('attention.needsAttention', { reasons: reasons.map((reason) => t(ATTENTION_EXPLANATIONS[reason])).join('; ') });
}
