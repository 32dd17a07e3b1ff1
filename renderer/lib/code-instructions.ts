import type { TwoFactorMethod } from '../../common/api';
import { t } from '../i18n';

/**
 * How to get and enter a one-time code, in the language shown: the same sentence at sign-in's
 * second step and in the step-up prompt.
 */
export interface CodeStep {
  method: TwoFactorMethod | null;
  /** Where the code goes (masked), if the portal said. */
  destination: string | null;
  /** A code must be asked for first (text message or voice call not sent yet). */
  needsSend: boolean;
  /** How the code on its way was sent. */
  sentMethod: TwoFactorMethod | null;
}

/** A masked number reads as one word ("•••• 0142"): never broken across lines. */
export function asOneWord(destination: string | null | undefined): string | null {
  return destination?.replace(/ /g, '\u00a0') ?? null;
}

export function codeInstructions(step: CodeStep): string {
  if (step.method === 'totp') return t('secondFactor.totp');
  const to = step.destination;
  const say = (key: 'willCall' | 'willText' | 'calling' | 'sent'): string => (to ? t(`secondFactor.${key}To`, { destination: to }) : t(`secondFactor.${key}`));
  if (step.needsSend) return say(step.method === 'voice' ? 'willCall' : 'willText');
  return say(step.sentMethod === 'voice' ? 'calling' : 'sent');
}
