import { computed, ref, shallowRef, watch, type Ref } from 'vue';
import { employeeSchema, newIdempotencyKey, type Employee } from '../../common/api';
import type { Draft } from '../../common/drafts';
import type { IpcError } from '../../common/ipc';
import { countryOfPhone, formatInternational, maskPhoneForScreen } from '../../common/phone';
import { describeError } from '../lib/errors';
import { t } from '../i18n';
import { useAuthStore } from '../stores/auth';
import { useConnectionStore } from '../stores/connection';
import { useDraftsStore } from '../stores/drafts';
import { useEmployeesStore } from '../stores/employees';
import { usePrivacyStore } from '../stores/privacy';
import { useStepUpStore } from '../stores/step-up';
import { usePhoneValidation } from './use-phone-validation';

export type SaveOutcome =
  | { kind: 'saved'; employee: Employee }
  | { kind: 'kept-portal'; employee: Employee }
  | { kind: 'drafted'; employee: Employee; draft: Draft }
  | { kind: 'discarded'; employee: Employee }
  | { kind: 'removed'; employee: Employee }
  | { kind: 'stayed' };


/**
 * The Edit Employee window's state: what was typed, whether it may be saved, and the save itself
 * with its outcomes (saved, conflict → a choice, any other error → stay with what was typed).
 */
export function useEmployeeEdit(employee: Ref<Employee | null>, companyCountry: Ref<string | null>) {
  const store = useEmployeesStore();
  const drafts = useDraftsStore();
  const auth = useAuthStore();
  const connection = useConnectionStore();
  const stepUp = useStepUpStore();
  const text = ref('');
  const country = ref<string | null>(null);
  const initialText = ref('');
  /** The version the admin is editing (If-Match); moves on after "Apply mine on top". */
  const baseVersion = ref(0);
  const isSaving = ref(false);
  const error = ref<string | null>(null);
  const fieldError = ref<string | null>(null);
  const conflict = shallowRef<Employee | null>(null);
  /** An online save answered `offline`: from now on this window drafts. */
  const hasFailedOffline = ref(false);
  let attempt: { signature: string; key: string } | null = null;
  const privacy = usePrivacyStore();
  /** The number this window started from, in E.164 (the draft's, else the portal's), as `reset` saw it. */
  const recordNumber = ref<string | null>(null);
  /** Privacy mode: the number on record stays out of the field until shown; a new one can still be typed. */
  const isNumberHidden = computed(() => employee.value !== null && recordNumber.value !== null && privacy.isMasked(employee.value.id));
  /** What the empty field shows meanwhile: the masked number. */
  const maskedNumber = computed(() => (isNumberHidden.value ? maskPhoneForScreen(recordNumber.value) : null));

  /** This employee's unsynced draft, if any (one per employee). */
  const draft = computed(() => (employee.value === null ? undefined : drafts.forEmployee(employee.value.id)));
  /**
   * Save drafts instead of writing to the portal: the portal cannot be reached, the admin works
   * offline, or the employee already has a draft (the draft is updated, never bypassed).
   */
  const isDraftMode = computed(
    () => auth.isWorkingOffline || connection.isPortalUnreachable || hasFailedOffline.value || draft.value !== undefined,
  );
  const { result, e164, preview } = usePhoneValidation(text, country);
  const isDirty = computed(() => text.value !== initialText.value);
  /** The number this window started from: the draft's, else the portal's. */
  const startingNumber = computed(() => draft.value?.cellPhone ?? employee.value?.cellPhone ?? null);
  const isChanged = computed(() => e164.value !== null && e164.value !== startingNumber.value);
  const canSave = computed(() => employee.value !== null && result.value.ok && isChanged.value && !isSaving.value && conflict.value === null);
  /** Remove number is sending (a conflict it meets is offered for the removal, not for the typed text). */
  const isRemoving = ref(false);
  const wasRemoval = ref(false);
  /** The portal holds a number, and the portal (not a draft) can take the removal now. */
  const canRemove = computed(
    () => employee.value !== null && employee.value.cellPhone !== null && !isDraftMode.value && !isSaving.value && (conflict.value === null || wasRemoval.value),
  );

  function reset(next: Employee | null): void {
    const number = (next === null ? undefined : drafts.forEmployee(next.id)?.cellPhone) ?? next?.cellPhone ?? null;
    recordNumber.value = number;
    text.value = number === null || (next !== null && privacy.isMasked(next.id)) ? '' : formatInternational(number);
    initialText.value = text.value;
    country.value = (number === null ? undefined : countryOfPhone(number)) ?? companyCountry.value;
    baseVersion.value = next?.version ?? 0;
    error.value = null;
    fieldError.value = null;
    conflict.value = null;
    isSaving.value = false;
    hasFailedOffline.value = false;
    isRemoving.value = false;
    wasRemoval.value = false;
    attempt = null;
  }

  /** The same attempt (employee, version, number) keeps its idempotency key, so a retry after a lost answer is not applied twice. */
  function keyFor(signature: string): string {
    if (attempt?.signature !== signature) attempt = { signature, key: newIdempotencyKey() };
    return attempt.key;
  }

  /** Writes `number` (E.164), or null to remove the number, against `version`. */
  async function send(version: number, number: string | null = e164.value): Promise<SaveOutcome> {
    const target = employee.value;
    if (target === null || (number === null && !isRemoving.value)) return { kind: 'stayed' };
    isSaving.value = true;
    error.value = null;
    fieldError.value = null;
    try {
      const idempotencyKey = keyFor(`${target.id}|${version}|${number ?? 'removed'}`);
      const saved = await store.saveCellPhone({ id: target.id, version, cellPhone: number, idempotencyKey });
      if (saved.ok) {
        attempt = null;
        return { kind: number === null ? 'removed' : 'saved', employee: saved.value };
      }
      // Sudo mode: a code on top of this window, then the same save (same key) carries on.
      if (saved.error.code === 'step_up_required') {
        if (await stepUp.confirm()) return await send(version);
        error.value = t('editOutcome.needsStepUp');
        return { kind: 'stayed' };
      }
      handleError(saved.error);
      return { kind: 'stayed' };
    } finally {
      isSaving.value = false;
    }
  }

  function handleError(failure: IpcError): void {
    wasRemoval.value = isRemoving.value;
    if (failure.code === 'conflict') {
      const parsed = employeeSchema.safeParse(failure.current);
      if (parsed.success) {
        conflict.value = Object.freeze(parsed.data);
        // The grid shows what the portal holds now, whatever is chosen here.
        store.applyEmployee(parsed.data);
        return;
      }
    }
    if (failure.code === 'validation') {
      // The field's refusal by its code (main's English sentence only in English, when it has no code of ours).
      const field = failure.fields?.find((candidate) => candidate.field === 'cellPhone');
      fieldError.value = field ? describeError({ ...failure, fields: [field] }) : null;
    }
    if (failure.code === 'offline') {
      // What was typed stays; the primary button becomes "Save as draft".
      hasFailedOffline.value = true;
      error.value = t('editOutcome.unreachable');
      return;
    }
    error.value = describeError(failure);
  }

  async function save(): Promise<SaveOutcome> {
    if (!canSave.value) return { kind: 'stayed' };
    return isDraftMode.value ? saveDraft() : send(baseVersion.value);
  }

  /** Drafts the number (main answers once it is on disk); the draft's base is the row as shown. */
  async function saveDraft(): Promise<SaveOutcome> {
    const target = employee.value;
    const number = e164.value;
    if (target === null || number === null) return { kind: 'stayed' };
    isSaving.value = true;
    error.value = null;
    fieldError.value = null;
    try {
      const saved = await drafts.save(store.findById(target.id) ?? target, number);
      if (saved.ok) return { kind: 'drafted', employee: target, draft: saved.value };
      handleError(saved.error);
      return { kind: 'stayed' };
    } finally {
      isSaving.value = false;
    }
  }

  /** Drops this employee's draft: the portal's number stands. */
  async function discardDraft(): Promise<SaveOutcome> {
    const target = employee.value;
    const current = draft.value;
    if (target === null || current === undefined || isSaving.value) return { kind: 'stayed' };
    isSaving.value = true;
    error.value = null;
    try {
      if (await drafts.discard(current.id)) return { kind: 'discarded', employee: target };
      error.value = drafts.error;
      return { kind: 'stayed' };
    } finally {
      isSaving.value = false;
    }
  }

  /**
   * Remove number (confirmed in the window): PATCH cellPhone null. Only with the portal: a removal
   * is never drafted, and an employee with a draft gets the draft discarded first.
   */
  async function removeNumber(): Promise<SaveOutcome> {
    if (!canRemove.value) return { kind: 'stayed' };
    isRemoving.value = true;
    try {
      return await send(baseVersion.value, null);
    } finally {
      isRemoving.value = false;
    }
  }

  /** Conflict: write mine over the portal's current version. */
  async function applyMine(): Promise<SaveOutcome> {
    const current = conflict.value;
    if (current === null || isSaving.value) return { kind: 'stayed' };
    if (isRemoving.value || wasRemoval.value) {
      // The conflict came from Remove number: remove it from the portal's current version.
      baseVersion.value = current.version;
      conflict.value = null;
      return removeNumber();
    }
    if (current.cellPhone !== null && current.cellPhone === e164.value) {
      // The portal already holds this very number: nothing to write.
      conflict.value = null;
      return { kind: 'saved', employee: current };
    }
    baseVersion.value = current.version;
    conflict.value = null;
    const outcome = await send(current.version);
    return outcome;
  }

  /** Conflict: keep the portal's number, drop mine. */
  function keepPortal(): SaveOutcome {
    const current = conflict.value;
    if (current === null) return { kind: 'stayed' };
    conflict.value = null;
    return { kind: 'kept-portal', employee: current };
  }

  /** Text typed after an error: the error no longer describes it. */
  function clearFieldError(): void {
    fieldError.value = null;
  }

  // Shown, or masked again (30 s, focus lost, screen locked): the field follows unless something was typed in it.
  watch(isNumberHidden, (hidden) => {
    if (text.value !== initialText.value) return;
    text.value = hidden || recordNumber.value === null ? '' : formatInternational(recordNumber.value);
    initialText.value = text.value;
  });

  return {
    text,
    country,
    isNumberHidden,
    maskedNumber,
    draft,
    isDraftMode,
    isDirty,
    isChanged,
    canSave,
    isSaving,
    error,
    fieldError,
    conflict,
    preview,
    e164,
    canRemove,
    wasRemoval,
    reset,
    save,
    removeNumber,
    discardDraft,
    applyMine,
    keepPortal,
    clearFieldError,
  };
}
