import { defineStore } from 'pinia';
import { computed } from 'vue';
import { t } from '../i18n';
import { useAuthStore } from './auth';
import { useConnectionStore } from './connection';

/**
 * What the top bar's indicator says, one of:
 * - `online` / `offline` / `checking`: signed in with the portal, which answers / does not / not known yet;
 * - `working-offline`: on the offline copy, the portal not reachable (or not known to be);
 * - `reachable-again`: on the offline copy while the portal answers again (sign in to sync);
 * - `reconnecting` / `disconnected`: browser mode, this page's bridge to Portal Admin is down.
 */
export type ConnectionStatusKind = 'online' | 'offline' | 'checking' | 'working-offline' | 'reachable-again' | 'reconnecting' | 'disconnected';

/** The one banner under the top bar, if any. */
export type ConnectionBannerKind = 'offline' | 'reachable-again' | null;

/**
 * The one connection state the window shows: the indicator and the banner are both read from here,
 * so they cannot disagree (the portal's reachability and the session's mode, working offline or not).
 */
export const useConnectionStatusStore = defineStore('connection-status', () => {
  const auth = useAuthStore();
  const connection = useConnectionStore();

  const kind = computed<ConnectionStatusKind>(() => {
    const bridgeOrPortal = connection.indicator;
    if (bridgeOrPortal === 'disconnected' || bridgeOrPortal === 'reconnecting') return bridgeOrPortal;
    if (auth.isWorkingOffline) return connection.isPortalReachable ? 'reachable-again' : 'working-offline';
    return bridgeOrPortal;
  });

  const banner = computed<ConnectionBannerKind>(() => {
    if (auth.isWorkingOffline) return connection.isPortalReachable ? 'reachable-again' : 'offline';
    return connection.isPortalUnreachable ? 'offline' : null;
  });

  /** What the indicator reads out (its tooltip and accessible name). */
  const label = computed(() => {
    switch (kind.value) {
      case 'working-offline':
        return t('connection.workingOfflineLabel');
      case 'reachable-again':
        return t('connection.reachableAgainLabel');
      default:
        return connection.label;
    }
  });

  return { kind, banner, label };
});
