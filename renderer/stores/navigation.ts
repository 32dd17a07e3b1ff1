import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { NavigationRequest } from '../../common/ipc';
import { portal } from '../services/portal';

export type View = 'home' | 'employees' | 'outbox';

/** Where a menu item or shortcut of the application menu (Electron) asks to go. */
const VIEW_OF_SCREEN: Partial<Record<NavigationRequest['screen'], View>> = { 'manage-employees': 'employees', outbox: 'outbox', 'import-phones': 'employees' };

/** Which page of the signed-in app is showing (three pages do not need a router). */
export const useNavigationStore = defineStore('navigation', () => {
  const view = ref<View>('home');
  /** The menu asked for the Import phone numbers window: the signed-in shell opens it and clears this (no store imports another here). */
  const isImportRequested = ref(false);
  let unsubscribe: (() => void) | null = null;

  function open(next: View): void {
    view.value = next;
  }

  /** Follows the application menu's navigation requests; returns the unsubscribe function. */
  function followMenu(): () => void {
    unsubscribe ??= portal.events.onNavigationRequested((request) => {
      const next = VIEW_OF_SCREEN[request.screen];
      if (next) open(next);
      if (request.screen === 'import-phones') isImportRequested.value = true;
    });
    return () => {
      unsubscribe?.();
      unsubscribe = null;
    };
  }

  return { view, isImportRequested, open, followMenu };
});
