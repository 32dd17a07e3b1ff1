import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ConnectionState } from '../../common/ipc';
import type { BridgeStatus } from '../platform';
import { runInBackground } from '../lib/background';
import { onPortalOutcome, portal } from '../services/portal';
import { t } from '../i18n';

export type ConnectionIndicator = 'online' | 'offline' | 'checking' | 'reconnecting' | 'disconnected';

/**
 * Whether the portal can be reached (main's probe, `connection:changed`) and, in browser mode,
 * whether this page's bridge to the Portal Admin host is up.
 */
export const useConnectionStore = defineStore('connection', () => {
  const portalState = ref<ConnectionState>({ state: 'unknown', checkedAt: null });
  const bridge = ref<BridgeStatus | null>(null);
  const unsubscribers: (() => void)[] = [];

  const indicator = computed<ConnectionIndicator>(() => {
    if (bridge.value?.state === 'refused') return 'disconnected';
    if (bridge.value !== null && bridge.value.state !== 'open') return 'reconnecting';
    if (portalState.value.state === 'online') return 'online';
    if (portalState.value.state === 'offline') return 'offline';
    return 'checking';
  });

  const label = computed(() => {
    switch (indicator.value) {
      case 'online':
        return t('connection.onlineLabel');
      case 'offline':
        return t('connection.offlineLabel');
      case 'checking':
        return t('connection.checkingLabel');
      case 'reconnecting':
        return t('connection.reconnectingLabel');
      case 'disconnected':
        return t('connection.disconnectedLabel');
    }
    return '';
  });

  function start(): void {
    if (unsubscribers.length > 0) return;
    bridge.value = portal.bridge.status();
    unsubscribers.push(
      portal.events.onConnectionChanged((state) => {
        portalState.value = state;
      }),
      portal.bridge.onStatusChanged((status) => {
        bridge.value = { ...status };
      }),
      onPortalOutcome((outcome) => {
        const state = outcome === 'reachable' ? 'online' : 'offline';
        if (portalState.value.state !== state) portalState.value = { state, checkedAt: new Date().toISOString() };
      }),
    );
    // The OS noticed the network come or go: main's next probe may be a while away, so ask now.
    if (typeof window !== 'undefined') {
      const onNetworkChange = (): void => runInBackground('Checking the connection', () => probe());
      window.addEventListener('online', onNetworkChange);
      window.addEventListener('offline', onNetworkChange);
      unsubscribers.push(() => {
        window.removeEventListener('online', onNetworkChange);
        window.removeEventListener('offline', onNetworkChange);
      });
    }
    // Events only tell of changes: ask once for the state main already knows.
    runInBackground('Reading the connection state', async () => {
      const result = await portal.connection.getState();
      if (result.ok && portalState.value.state === 'unknown') portalState.value = result.value;
    });
  }

  function stop(): void {
    for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
  }

  /** Asks main to probe the portal now; its answer is the newest state. */
  async function probe(): Promise<void> {
    const result = await portal.connection.probe();
    if (result.ok) portalState.value = result.value;
  }

  /** The portal cannot be reached (this page's own bridge may still be up). */
  const isPortalUnreachable = computed(() => portalState.value.state === 'offline');
  const isPortalReachable = computed(() => portalState.value.state === 'online');

  return { portalState, bridge, indicator, label, isPortalUnreachable, isPortalReachable, start, stop, probe };
});
