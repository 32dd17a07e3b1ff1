import type { IpcRenderer, IpcRendererEvent } from 'electron';
// portal-api.ts, not the common/ipc index: it has no runtime imports, so the sandboxed preload
// bundle stays a couple of kilobytes instead of carrying zod and every schema (~90 kB).
import { buildPortalApi, PORTAL_EVENTS, PORTAL_METHODS, type PortalApi } from '../../common/ipc/portal-api';
import type { IpcChannel, IpcEvent } from '../../common/ipc/channels';
import type { IpcResult } from '../../common/ipc/result';

/** What the bridge needs of `ipcRenderer`; the object itself never reaches the page. */
export type IpcRendererLike = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

/**
 * The contract's channels and events, from the same tables `window.portal` is built from (their
 * `satisfies` clauses make every entry a declared channel; a unit test checks the sets equal
 * IPC_CHANNELS and IPC_EVENTS exactly).
 */
export const PRELOAD_CHANNELS: ReadonlySet<string> = new Set<IpcChannel>(Object.values(PORTAL_METHODS).flatMap((group) => Object.values(group)));
export const PRELOAD_EVENTS: ReadonlySet<string> = new Set<IpcEvent>(Object.values(PORTAL_EVENTS));

/**
 * Builds `window.portal` over Electron IPC. Only channels and events of the contract pass; the
 * page gets results and event payloads, never the IpcRendererEvent (whose `sender` is
 * ipcRenderer itself).
 */
export function createPortalBridge(ipcRenderer: IpcRendererLike): PortalApi {
  return buildPortalApi({
    invoke(channel, input) {
      if (!PRELOAD_CHANNELS.has(channel)) return Promise.reject(new Error('Unknown Portal Admin channel.'));
      return ipcRenderer.invoke(channel, input) as Promise<IpcResult<unknown>>;
    },
    subscribe(event, listener) {
      if (!PRELOAD_EVENTS.has(event) || typeof listener !== 'function') throw new TypeError('Unknown Portal Admin event or listener.');
      // One wrapper per subscription, kept here, so unsubscribe removes exactly this listener.
      const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
      ipcRenderer.on(event, handler);
      let isSubscribed = true;
      return () => {
        if (!isSubscribed) return;
        isSubscribed = false;
        ipcRenderer.removeListener(event, handler);
      };
    },
  });
}
