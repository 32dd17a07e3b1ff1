import { defineStore } from 'pinia';
import { ref } from 'vue';

export type View = 'home' | 'employees';

/** Which page of the signed-in app is showing (two pages do not need a router). */
export const useNavigationStore = defineStore('navigation', () => {
  const view = ref<View>('home');

  function open(next: View): void {
    view.value = next;
  }

  return { view, open };
});
