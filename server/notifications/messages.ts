import { maskPhone } from '../../common/phone';

/** What the employee is told when their sign-in number changes (texts and emails alike). */
export interface NumberChangeFacts {
  oldPhone: string | null;
  newPhone: string | null;
  actorName: string;
  companyName: string;
  at: Date;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "6 Dec 2026 at 14:03 UTC": one unambiguous wording, whatever the reader's locale. */
export function formatUtc(at: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()} at ${two(at.getUTCHours())}:${two(at.getUTCMinutes())} UTC`;
}

/**
 * The notice, with both numbers masked to their last 4 digits: a text goes to the old number,
 * which may now be in someone else's hands, and email travels in the clear.
 */
export function numberChangeText(facts: NumberChangeFacts): string {
  const by = `by ${facts.actorName} (${facts.companyName}) on ${formatUtc(facts.at)}`;
  const oldMasked = maskPhone(facts.oldPhone);
  const newMasked = maskPhone(facts.newPhone);
  const what =
    oldMasked === null
      ? `A sign-in phone number (${newMasked ?? ''}) was added to your account ${by}.`
      : newMasked === null
        ? `Your sign-in phone number ${oldMasked} was removed ${by}.`
        : `Your sign-in phone number was changed from ${oldMasked} to ${newMasked} ${by}.`;
  return `${what} If you did not expect this, contact your administrator.`;
}

export const NUMBER_CHANGE_SUBJECT = 'Your sign-in phone number was changed';
