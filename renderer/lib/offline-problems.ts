import type { DraftsState, OfflineUnlockStep, StoredFileProblem } from '../../common/drafts';
import { currentLocale, t } from '../i18n';
import { formatNumber } from './format';

/*
 * Main's problems with the files kept on this computer (the drafts, the offline copy) in the
 * language shown: main sends a code with its English sentence, which only English ever shows
 * (and only when no code came).
 */

const WHY = {
  rolled_back: 'offlineProblems.whyRolledBack',
  format: 'offlineProblems.whyFormat',
  undecryptable: 'offlineProblems.whyUndecryptable',
} as const;

export function storedFileProblemText(problem: StoredFileProblem): string {
  const isDrafts = problem.file !== 'employees';
  switch (problem.code) {
    case 'keychain_unavailable':
      return t('offlineProblems.draftsNeedKeychain');
    case 'file_missing':
      return t(isDrafts ? 'offlineProblems.fileMissingDrafts' : 'offlineProblems.fileMissingEmployees');
    case 'file_kept_aside': {
      const why = t(WHY[problem.reason ?? 'undecryptable']);
      const what = t(isDrafts ? 'offlineProblems.unusableDrafts' : 'offlineProblems.unusableEmployees', { why });
      const kept = problem.keptAs ? t('offlineProblems.keptAsideAs', { name: problem.keptAs }) : t('offlineProblems.keptAsideNotMoved');
      return `${what} ${kept}`;
    }
  }
}

/** English without a code: main's own sentence; any other language: null (nothing half-translated shows). */
function englishOnly(message: string | null): string | null {
  return currentLocale() === 'en' ? message : null;
}

/** The Outbox's warning about the drafts or offline-copy file, or null. */
export function draftsProblemText(state: Pick<DraftsState, 'problem' | 'problemDetail'>): string | null {
  if (state.problemDetail) return storedFileProblemText(state.problemDetail);
  return state.problem === null ? null : (englishOnly(state.problem) ?? t('errors.storage'));
}

/** Why the offline copy cannot be opened (it expired, was changed, or its file could not be used). */
export function offlineUnavailableText(step: Extract<OfflineUnlockStep, { step: 'unavailable' }>): string {
  switch (step.reason) {
    case 'expired': {
      const days = step.days ?? 0;
      return t('offlineProblems.copyExpired', { days: t('offlineCopy.days', { count: formatNumber(days) }, days) });
    }
    case 'record_changed':
      return t('offlineProblems.recordChanged');
    case 'file_problem':
      if (step.problem) return storedFileProblemText(step.problem);
  }
  return englishOnly(step.message) ?? t('errors.storage');
}
