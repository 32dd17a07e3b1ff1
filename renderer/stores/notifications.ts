import { defineStore } from 'pinia';
import { computed, ref } from 'vue';

export type NoticeKind = 'success' | 'error' | 'info';

export interface Notice {
  id: number;
  text: string;
  kind: NoticeKind;
}

/** Messages for the snackbar, shown one at a time in order: nothing reaches only the console. */
export const useNotificationsStore = defineStore('notifications', () => {
  const queue = ref<Notice[]>([]);
  let nextId = 1;

  const current = computed<Notice | null>(() => queue.value[0] ?? null);

  function notify(text: string, kind: NoticeKind = 'info'): number {
    const id = nextId++;
    // The same sentence twice in a row (a burst of identical failures) is shown once.
    if (queue.value.at(-1)?.text !== text) queue.value.push({ id, text, kind });
    return id;
  }

  function dismiss(id: number): void {
    queue.value = queue.value.filter((notice) => notice.id !== id);
  }

  function clear(): void {
    queue.value = [];
  }

  return { queue, current, notify, dismiss, clear };
});
