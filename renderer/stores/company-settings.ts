import { defineStore } from 'pinia';
import { ref } from 'vue';
import { portal } from '../services/portal';

/** The company's settings on the portal (read when the Edit Employee window opens). */
export const useCompanySettingsStore = defineStore('company-settings', () => {
  /** Only verified numbers may be saved: the window offers only Verify and save. */
  const requireVerifiedPhone = ref(false);

  async function load(): Promise<void> {
    const result = await portal.company.getSettings();
    // Unreachable or not understood: the portal still enforces its setting on save.
    if (result.ok) requireVerifiedPhone.value = result.value.requireVerifiedPhone;
  }

  return { requireVerifiedPhone, load };
});
