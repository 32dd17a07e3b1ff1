import type { IpcEvent, IpcResult } from '../../common/ipc';

/*
 * The slice of the IPC gate (electron/main/ipc/gate.ts) the bridge uses: its `Gate` satisfies this
 * (see services-gate.ts). Kept structural so the bridge does not depend on the services and can be
 * tested with an injected gate.
 */
export interface WebSocketSender {
  transport: 'websocket';
  origin: string;
  authenticated: boolean;
}

export interface BridgeGate {
  invoke(channel: unknown, payload: unknown, sender: WebSocketSender): Promise<IpcResult<unknown>>;
  onEvent(listener: (event: IpcEvent, payload: unknown) => void): () => void;
}
