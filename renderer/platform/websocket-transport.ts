import type { IpcChannel, IpcEvent, PortalTransport } from '../../common/ipc';
import { isPortalEvent } from '../../common/ipc/portal-api';
import { fail, type IpcResult } from '../../common/ipc/result';
import { CLOSE_POLICY, MAX_FRAME_BYTES, parseHostFrame, type CallFrame, type HelloFrame } from './bridge-protocol';

/** `open` once the handshake succeeded; `refused` is final (token missing, wrong or spent). */
export type BridgeState = 'connecting' | 'open' | 'reconnecting' | 'refused';

export interface BridgeStatus {
  state: BridgeState;
  /** Why the host refused, or why the last connection ended. */
  reason: string | null;
}

export interface WebSocketTransportOptions {
  /** `ws://127.0.0.1:PORT/bridge` */
  url: string;
  /** The token to spend on the first handshake; null: refused without connecting. */
  token: string | null;
  /** Receives each next token, to keep for a reload. */
  onToken(token: string): void;
  callTimeoutMs?: number;
  handshakeTimeoutMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** Injected in tests; the browser's WebSocket by default. */
  createSocket?: (url: string) => WebSocket;
}

interface Pending {
  resolve(result: IpcResult<unknown>): void;
  timer: ReturnType<typeof setTimeout>;
}

const restartHint = 'Open the address that npm run start:web printed (or press Enter there for a new one).';

/**
 * The browser-mode transport under `window.portal`: calls become `{id, channel, payload}` frames
 * over one authenticated WebSocket. Calls never reject: while the socket is down they answer
 * `offline` at once, a lost answer becomes `offline`, a slow one `timeout`. A dropped socket
 * reconnects with exponential backoff and the latest token.
 */
export class WebSocketTransport implements PortalTransport {
  private socket: WebSocket | null = null;
  private token: string | null;
  private status: BridgeStatus = { state: 'connecting', reason: null };
  private nextId = 0;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<IpcEvent, Set<(payload: unknown) => void>>();
  private readonly statusListeners = new Set<(status: BridgeStatus) => void>();
  private firstSettled: (() => void) | null = null;
  private readonly callTimeoutMs: number;
  private readonly handshakeTimeoutMs: number;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly createSocket: (url: string) => WebSocket;

  constructor(private readonly options: WebSocketTransportOptions) {
    this.token = options.token;
    this.callTimeoutMs = options.callTimeoutMs ?? 60_000;
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? 10_000;
    this.backoff = options.backoff ?? { initialMs: 250, maxMs: 10_000 };
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url));
  }

  /** Resolves once the first attempt settled: open, refused, or failed (then it keeps retrying). */
  connect(): Promise<void> {
    return new Promise((resolve) => {
      this.firstSettled = resolve;
      this.open();
    });
  }

  get bridgeStatus(): BridgeStatus {
    return this.status;
  }

  onStatusChanged(listener: (status: BridgeStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  invoke(channel: IpcChannel, input: unknown): Promise<IpcResult<unknown>> {
    const socket = this.socket;
    if (this.status.state !== 'open' || !socket) return Promise.resolve(this.unavailable());
    const id = ++this.nextId;
    const frame: CallFrame = { id, channel, payload: input };
    let text: string;
    try {
      text = JSON.stringify(frame);
    } catch {
      return Promise.resolve(fail('invalid_input', 'The request cannot be sent (it is not plain data).'));
    }
    // The host closes the whole socket on an oversized frame; refuse it here and keep the bridge up.
    if (text.length * 3 > MAX_FRAME_BYTES && new TextEncoder().encode(text).byteLength > MAX_FRAME_BYTES) {
      return Promise.resolve(fail('invalid_input', 'The request is too large.'));
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(fail('timeout', 'Portal Admin did not answer in time.'));
      }, this.callTimeoutMs);
      this.pending.set(id, { resolve, timer });
      socket.send(text);
    });
  }

  subscribe(event: IpcEvent, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    // A wrapper per subscription, so the same function subscribed twice unsubscribes independently.
    const entry = (payload: unknown): void => listener(payload);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  private unavailable(): IpcResult<never> {
    if (this.status.state === 'refused') {
      return fail('forbidden_sender', `This page is not connected to Portal Admin: ${this.status.reason ?? 'the host refused it'}. ${restartHint}`);
    }
    return fail('offline', 'The connection to Portal Admin is down; reconnecting.');
  }

  private setStatus(state: BridgeState, reason: string | null): void {
    this.status = { state, reason };
    for (const listener of this.statusListeners) listener(this.status);
    if (state !== 'connecting') {
      this.firstSettled?.();
      this.firstSettled = null;
    }
  }

  private open(): void {
    if (this.token === null) {
      this.setStatus('refused', 'access token missing');
      return;
    }
    const token = this.token;
    let socket: WebSocket;
    try {
      socket = this.createSocket(this.options.url);
    } catch {
      this.scheduleReconnect('the connection could not be opened');
      return;
    }
    this.socket = socket;
    let isWelcomed = false;
    const handshakeTimer = setTimeout(() => socket.close(), this.handshakeTimeoutMs);

    socket.onopen = () => {
      const hello: HelloFrame = { type: 'hello', token };
      socket.send(JSON.stringify(hello));
    };
    socket.onmessage = (message: MessageEvent) => {
      if (typeof message.data !== 'string') return;
      const frame = parseHostFrame(message.data);
      if (!frame) return;
      if (frame.kind === 'welcome') {
        if (isWelcomed) return;
        isWelcomed = true;
        clearTimeout(handshakeTimer);
        // The token just spent is dead; this one is for the next reconnect or reload.
        this.token = frame.nextToken;
        this.options.onToken(frame.nextToken);
        this.attempt = 0;
        this.setStatus('open', null);
      } else if (frame.kind === 'result') {
        this.settle(frame.id, frame.result);
      } else if (isPortalEvent(frame.event)) {
        this.emit(frame.event, frame.payload);
      }
    };
    socket.onclose = (event: CloseEvent) => {
      clearTimeout(handshakeTimer);
      if (this.socket === socket) this.socket = null;
      this.failPending();
      if (event.code === CLOSE_POLICY) {
        this.setStatus('refused', event.reason || 'the host refused the connection');
        return;
      }
      this.scheduleReconnect(event.reason || 'the connection was lost');
    };
    // An error is always followed by a close event, which does the work.
    socket.onerror = () => {};
  }

  private settle(id: unknown, result: unknown): void {
    if (typeof id !== 'number') return; // an error frame about a malformed message: nothing waits for it
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    const isEnvelope = typeof result === 'object' && result !== null && typeof (result as { ok?: unknown }).ok === 'boolean';
    pending.resolve(isEnvelope ? (result as IpcResult<unknown>) : fail('server', 'Portal Admin sent an unreadable answer.'));
  }

  private emit(event: IpcEvent, payload: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        // One failing listener must not starve the others; the error still surfaces.
        reportError(error);
      }
    }
  }

  private failPending(): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.resolve(fail('offline', 'The connection to Portal Admin was lost before the answer arrived.'));
      this.pending.delete(id);
    }
  }

  private scheduleReconnect(reason: string): void {
    this.setStatus('reconnecting', reason);
    if (this.reconnectTimer !== null) return;
    const ceiling = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** this.attempt);
    // Full jitter keeps many tabs from reconnecting in lockstep.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.attempt = Math.min(this.attempt + 1, 16);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.open();
    }, delay);
  }
}
