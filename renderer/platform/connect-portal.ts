import { buildPortalApi, type PortalApi } from '../../common/ipc/portal-api';
import { BRIDGE_PATH } from './bridge-protocol';
import { browserTokenPlace, keepBridgeToken, takeBridgeToken } from './bridge-token';
import { WebSocketTransport, type BridgeStatus } from './websocket-transport';
import './window-portal';

let connecting: Promise<PortalApi> | null = null;
let transport: WebSocketTransport | null = null;

/**
 * The platform the UI runs on: `window.portal` from the Electron preload when it exists, otherwise
 * (browser mode) the same API over the host's WebSocket bridge. Always resolves: a refused or
 * unreachable bridge gives an API whose calls answer `{ok:false}` with a plain reason.
 */
export function connectPortal(): Promise<PortalApi> {
  connecting ??= (async () => {
    if (window.portal) return window.portal;
    const place = browserTokenPlace();
    transport = new WebSocketTransport({
      url: `ws://${window.location.host}${BRIDGE_PATH}`,
      token: takeBridgeToken(place),
      onToken: (token) => keepBridgeToken(place, token),
    });
    await transport.connect();
    const api = buildPortalApi(transport);
    // Read-only, like the preload's contextBridge object; tests reach it as window.portal.
    Object.defineProperty(window, 'portal', { value: api, enumerable: true, configurable: false, writable: false });
    return api;
  })();
  return connecting;
}

/** Browser mode only: the bridge's own state (null under Electron), for a "reconnecting" banner. */
export function bridgeStatus(): BridgeStatus | null {
  return transport?.bridgeStatus ?? null;
}

/** Browser mode only: follow the bridge's state; a no-op under Electron. */
export function onBridgeStatusChanged(listener: (status: BridgeStatus) => void): () => void {
  return transport?.onStatusChanged(listener) ?? (() => {});
}
