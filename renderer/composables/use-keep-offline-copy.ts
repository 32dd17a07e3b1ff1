import { computed, ref, type Ref, type WritableComputedRef } from 'vue';
import { useOfflineStore } from '../stores/offline';

/**
 * "Keep an offline copy on this computer", remembered per account: until the administrator ticks
 * or unticks it, it is ticked for an account that already keeps a copy here (signing in with it
 * unticked deletes that copy) and unticked for any other.
 */
export function useKeepOfflineCopy(email: Ref<string>): WritableComputedRef<boolean> {
  const offline = useOfflineStore();
  const choice = ref<boolean | null>(null);

  return computed({
    get: () => {
      if (choice.value !== null) return choice.value;
      const typed = email.value.trim().toLowerCase();
      return typed !== '' && offline.accounts.some((account) => account.email.toLowerCase() === typed);
    },
    set: (value: boolean) => {
      choice.value = value;
    },
  });
}
