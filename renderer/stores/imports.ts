import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { IMPORT_CHUNK_CHARS, IMPORT_MAX_FILE_BYTES, type ImportReport, type ImportState, type IpcResult } from '../../common/ipc';
import { runInBackground } from '../lib/background';
import { describeError } from '../lib/errors';
import { formatNumber } from '../lib/format';
import { t } from '../i18n';
import { saveTextFile } from '../lib/save-file';
import { portal } from '../services/portal';
import { useStepUpStore } from './step-up';

const EMPTY: ImportState = { phase: 'empty', file: null, reading: null, activity: null, progress: null, counts: null, outcome: null, problem: null };
/** Raw bytes per upload chunk: whole base64 quads that stay inside IMPORT_CHUNK_CHARS. */
const CHUNK_BYTES = (IMPORT_CHUNK_CHARS / 4) * 3;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000) binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return btoa(binary);
}

/**
 * "Import phone numbers": the window's state. Main does the work (reading, the dry run, applying)
 * and announces its state with `import:changed`; this store shows it and asks for the report
 * when a check or an apply has finished.
 */
export const useImportStore = defineStore('imports', () => {
  const isOpen = ref(false);
  const state = shallowRef<ImportState>(EMPTY);
  const report = shallowRef<ImportReport | null>(null);
  const error = ref<string | null>(null);
  const isUploading = ref(false);
  /** Set when main has no native Open dialog (browser mode): the window shows a file input. */
  const needsFileInput = ref(false);
  /** Counts applies that changed numbers on the portal: Manage Employees reloads its grid on each. */
  const appliedRuns = ref(0);
  let unsubscribe: (() => void) | null = null;
  let lastPhase: ImportState['phase'] = 'empty';
  let isAskingStepUp = false;

  const isBusy = computed(() => isUploading.value || state.value.phase === 'checking' || state.value.phase === 'applying');

  function applyState(next: ImportState): void {
    const previous = lastPhase;
    state.value = next;
    lastPhase = next.phase;
    if ((next.phase === 'checked' || next.phase === 'applied') && previous !== next.phase) runInBackground('Loading the import report', () => loadReport());
    if (next.phase === 'checking' || next.phase === 'loaded' || next.phase === 'empty') report.value = null;
    if (next.phase === 'applied' && previous === 'applying' && (next.outcome?.applied ?? 0) > 0) appliedRuns.value += 1;
    if (next.phase === 'applying' && next.needsStepUp === true && !isAskingStepUp) runInBackground('Confirming it is you for the import', () => confirmStepUp());
  }

  /** Sudo mode: the prompt on top of this window; the same apply then goes on (or stops if cancelled). */
  async function confirmStepUp(): Promise<void> {
    isAskingStepUp = true;
    try {
      const isConfirmed = await useStepUpStore().confirm();
      await run(isConfirmed ? 'continueApply' : 'cancel');
    } finally {
      isAskingStepUp = false;
    }
    // Main asked for a code again while this answer was on its way.
    if (state.value.phase === 'applying' && state.value.needsStepUp === true) await confirmStepUp();
  }

  function follow(): void {
    unsubscribe ??= portal.events.onImportChanged(applyState);
  }

  async function settle<T>(pending: Promise<IpcResult<T>>): Promise<T | null> {
    const result = await pending;
    if (!result.ok) {
      error.value = describeError(result.error);
      return null;
    }
    error.value = null;
    return result.value;
  }

  async function loadReport(): Promise<void> {
    const value = await settle(portal.imports.getReport());
    if (value) report.value = value;
  }

  async function open(): Promise<void> {
    follow();
    isOpen.value = true;
    const value = await settle(portal.imports.getState());
    if (value) applyState(value);
  }

  function close(): void {
    isOpen.value = false;
  }

  /** Electron: main's Open dialog. Browser mode: false, and the window uses its file input. */
  async function pickFile(): Promise<boolean> {
    const value = await settle(portal.imports.pickFile());
    if (!value) return true;
    needsFileInput.value = !value.isAvailable;
    if (value.isAvailable) applyState(value.state);
    return value.isAvailable;
  }

  async function uploadFile(file: File): Promise<void> {
    if (file.size === 0) {
      error.value = t('importPhones.fileEmpty', { name: file.name });
      return;
    }
    if (file.size > IMPORT_MAX_FILE_BYTES) {
      error.value = t('importPhones.fileTooLarge', { name: file.name, size: formatNumber(IMPORT_MAX_FILE_BYTES / (1024 * 1024)) });
      return;
    }
    isUploading.value = true;
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const name = file.name.slice(0, 255) || 'import.csv';
      for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
        const value = await settle(portal.imports.uploadChunk({ name, size: bytes.length, offset, data: toBase64(bytes.subarray(offset, offset + CHUNK_BYTES)) }));
        if (!value) return;
        applyState(value);
      }
    } finally {
      isUploading.value = false;
    }
  }

  async function run(action: 'check' | 'apply' | 'cancel' | 'continueApply' | 'reset'): Promise<void> {
    const value = await settle(portal.imports[action]());
    if (value) applyState(value);
  }

  async function saveResult(): Promise<void> {
    const value = await settle(portal.imports.resultFile());
    if (value) saveTextFile(value.fileName, value.content);
  }

  return {
    isOpen,
    state,
    report,
    error,
    isBusy,
    isUploading,
    needsFileInput,
    appliedRuns,
    follow,
    open,
    close,
    pickFile,
    uploadFile,
    check: () => run('check'),
    apply: () => run('apply'),
    cancel: () => run('cancel'),
    reset: () => run('reset'),
    saveResult,
  };
});
