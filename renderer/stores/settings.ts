import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Settings } from '../../common/ipc';
import { describeError } from '../lib/errors';
import { portal } from '../services/portal';

/** The app's own settings (portal address, trusted certificate), as main keeps them. */
export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings | null>(null);
  const error = ref<string | null>(null);
  const isSaving = ref(false);

  async function load(): Promise<Settings | null> {
    const result = await portal.settings.get();
    if (result.ok) {
      settings.value = result.value;
      error.value = null;
      return result.value;
    }
    error.value = describeError(result.error);
    return null;
  }

  /** Saves the portal address (https only) and an optional certificate file to trust. */
  async function savePortal(portalUrl: string, caFile: string | null): Promise<boolean> {
    isSaving.value = true;
    error.value = null;
    try {
      const result = await portal.settings.setPortal({ portalUrl: portalUrl.trim(), caFile: caFile?.trim() ? caFile.trim() : null });
      if (result.ok) {
        settings.value = result.value;
        return true;
      }
      error.value =
        result.error.code === 'invalid_input'
          ? 'Enter the portal address as https://… (for example https://portal.example.com), and the certificate file as a full path.'
          : describeError(result.error);
      return false;
    } finally {
      isSaving.value = false;
    }
  }

  return { settings, error, isSaving, load, savePortal };
});
