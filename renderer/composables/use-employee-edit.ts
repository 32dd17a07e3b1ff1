import { computed, ref, shallowRef, type Ref } from 'vue';
import { employeeSchema, type Employee } from '../../common/api';
import type { IpcError } from '../../common/ipc';
import { countryOfPhone, formatInternational } from '../../common/phone';
import { describeError } from '../lib/errors';
import { useEmployeesStore } from '../stores/employees';
import { usePhoneValidation } from './use-phone-validation';

export type SaveOutcome = { kind: 'saved'; employee: Employee } | { kind: 'kept-portal'; employee: Employee } | { kind: 'stayed' };

function newIdempotencyKey(): string | undefined {
  return typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : undefined;
}

/**
 * The Edit Employee window's state: what was typed, whether it may be saved, and the save itself
 * with its outcomes (saved, conflict → a choice, any other error → stay with what was typed).
 */
export function useEmployeeEdit(employee: Ref<Employee | null>, companyCountry: Ref<string | null>) {
  const store = useEmployeesStore();
  const text = ref('');
  const country = ref<string | null>(null);
  const initialText = ref('');
  /** The version the admin is editing (If-Match); moves on after "Apply mine on top". */
  const baseVersion = ref(0);
  const isSaving = ref(false);
  const error = ref<string | null>(null);
  const fieldError = ref<string | null>(null);
  const conflict = shallowRef<Employee | null>(null);
  let attempt: { signature: string; key: string | undefined } | null = null;

  const { result, e164, preview } = usePhoneValidation(text, country);
  const isDirty = computed(() => text.value !== initialText.value);
  const isChanged = computed(() => e164.value !== null && e164.value !== (employee.value?.cellPhone ?? null));
  const canSave = computed(() => employee.value !== null && result.value.ok && isChanged.value && !isSaving.value && conflict.value === null);

  function reset(next: Employee | null): void {
    const number = next?.cellPhone ?? null;
    text.value = number === null ? '' : formatInternational(number);
    initialText.value = text.value;
    country.value = (number === null ? undefined : countryOfPhone(number)) ?? companyCountry.value;
    baseVersion.value = next?.version ?? 0;
    error.value = null;
    fieldError.value = null;
    conflict.value = null;
    isSaving.value = false;
    attempt = null;
  }

  /** The same attempt (employee, version, number) keeps its idempotency key, so a retry after a lost answer is not applied twice. */
  function keyFor(signature: string): string | undefined {
    if (attempt?.signature !== signature) attempt = { signature, key: newIdempotencyKey() };
    return attempt.key;
  }

  async function send(version: number): Promise<SaveOutcome> {
    const target = employee.value;
    const number = e164.value;
    if (target === null || number === null) return { kind: 'stayed' };
    isSaving.value = true;
    error.value = null;
    fieldError.value = null;
    try {
      const idempotencyKey = keyFor(`${target.id}|${version}|${number}`);
      const saved = await store.saveCellPhone({ id: target.id, version, cellPhone: number, ...(idempotencyKey ? { idempotencyKey } : {}) });
      if (saved.ok) {
        attempt = null;
        return { kind: 'saved', employee: saved.value };
      }
      handleError(saved.error);
      return { kind: 'stayed' };
    } finally {
      isSaving.value = false;
    }
  }

  function handleError(failure: IpcError): void {
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
      fieldError.value = failure.fields?.find((field) => field.field === 'cellPhone')?.message ?? null;
    }
    error.value = describeError(failure);
  }

  async function save(): Promise<SaveOutcome> {
    if (!canSave.value) return { kind: 'stayed' };
    return send(baseVersion.value);
  }

  /** Conflict: write mine over the portal's current version. */
  async function applyMine(): Promise<SaveOutcome> {
    const current = conflict.value;
    if (current === null || isSaving.value) return { kind: 'stayed' };
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

  return { text, country, isDirty, isChanged, canSave, isSaving, error, fieldError, conflict, preview, e164, reset, save, applyMine, keepPortal, clearFieldError };
}
