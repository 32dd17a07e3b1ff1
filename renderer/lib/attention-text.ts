import { currentLocale, t, type MessageKey } from '../i18n';
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

/**
 * Each combination of reasons, worded once per language: every row in view asks again at every
 * keystroke of a search, and there are only a few dozen combinations.
 */
const descriptions = new Map<string, string>();

/** "Needs attention: a landline: …; locked out after …" (empty when nothing does). */
export function describeAttention(reasons: readonly AttentionReason[]): string {
  if (reasons.length === 0) return '';
  const key = `${currentLocale()} ${reasons.join(' ')}`;
  let text = descriptions.get(key);
  if (text === undefined) {
    text = t('attention.needsAttention', { reasons: reasons.map((reason) => t(ATTENTION_EXPLANATIONS[reason])).join('; ') });
    descriptions.set(key, text);
  }
  return text;
}
