import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Settings } from '../../common/ipc';
import { describeError } from '../lib/errors';
import { portal } from '../services/portal';
import { t } from '../i18n';

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

  /**
   * Saves the portal address (https only) and the certificate to trust: its PEM text as chosen,
   * null for none, undefined to keep the current one.
   */
  async function savePortal(portalUrl: string, caCertificate?: string | null): Promise<boolean> {
    isSaving.value = true;
    error.value = null;
    try {
      const result = await portal.settings.setPortal({ portalUrl: portalUrl.trim(), ...(caCertificate === undefined ? {} : { caCertificate }) });
      if (result.ok) {
        settings.value = result.value;
        return true;
      }
      error.value =
        result.error.code === 'invalid_input'
          ? t('settingsStore.invalidPortal')
          : describeError(result.error);
      return false;
    } finally {
      isSaving.value = false;
    }
  }

  /** The OS file dialog through main (Electron); `isSupported` is false in browser mode, where the page's file input serves. */
  async function chooseCaFile(): Promise<{ isSupported: boolean; file: { name: string; pem: string } | null }> {
    error.value = null;
    const result = await portal.settings.chooseCaFile();
    if (result.ok) return result.value;
    error.value = describeError(result.error);
    return { isSupported: true, file: null };
  }

  return { settings, error, isSaving, load, savePortal, chooseCaFile };
});
