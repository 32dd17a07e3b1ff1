import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { fail, type IpcResult } from '../../common/ipc';
import type { Logger } from '../main/log';
import type { BridgeGate, WebSocketSender } from './bridge-gate';
import { NEXT_TOKEN_TTL_MS, type BridgeTokens } from './bridge-tokens';
import { isHeaderExactly, type LoopbackAddress } from './loopback-address';
import { BRIDGE_PATH, CLOSE_GOING_AWAY, CLOSE_POLICY, CLOSE_REASONS, MAX_FRAME_BYTES, parseFrame, type CallId } from './protocol';

export interface WebSocketBridgeOptions {
  gate: BridgeGate;
  tokens: BridgeTokens;
  address: LoopbackAddress;
  log: Logger;
  maxFrameBytes?: number;
  /** How long an opened socket may take to send its hello (5 s). */
  helloTimeoutMs?: number;
  /** Authenticated sockets at most (pages are few): 64. */
  maxConnections?: number;
  /**
   * Sockets still waiting for their hello at most (128). One more closes the oldest waiting one,
   * so sockets that never authenticate cannot keep a page out.
   */
  maxPending?: number;
  /** How often an open page gets a fresh next token, the previous one dying (30 s, below its 1-minute life). */
  nextTokenRefreshMs?: number;
}

export interface WebSocketBridge {
  /** The HTTP server's `upgrade` handler: refuses foreign Origin/Host before any socket opens. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every open bridge socket (they reconnect with their next token); returns how many. */
  dropConnections(): number;
  readonly authenticatedCount: number;
  close(): Promise<void>;
}

/** RFC 6455 §7.4.1: 1013 Try Again Later. */
const CLOSE_TRY_AGAIN_LATER = 1013;

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  socket.on('error', () => {}); // the peer may already be gone; nothing to do about it
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * The WebSocket half of browser mode: one socket per page load, authenticated by a single-use
 * token in its first frame, then every call goes through the same IPC gate as Electron's
 * `ipcMain.handle`, and the gate's events are pushed to every authenticated page.
 */
export function createWebSocketBridge(options: WebSocketBridgeOptions): WebSocketBridge {
  const { gate, tokens, address, log } = options;
  const helloTimeoutMs = options.helloTimeoutMs ?? 5_000;
  const maxConnections = options.maxConnections ?? 64;
  const maxPending = options.maxPending ?? 128;
  const nextTokenRefreshMs = options.nextTokenRefreshMs ?? 30_000;
  /** Sockets that have not authenticated yet, oldest first. */
  const pending = new Set<WebSocket>();
  // No compression: a small frame must not inflate into a large one behind the size limit.
  const server = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes ?? MAX_FRAME_BYTES, perMessageDeflate: false });
  const authenticated = new Set<WebSocket>();

  function send(socket: WebSocket, frame: object): void {
    if (socket.readyState !== WebSocket.OPEN) return;
    let text: string;
    try {
      text = JSON.stringify(frame);
    } catch {
      // Only a result can fail to serialise (a service bug); the page still gets an answer.
      const id = 'id' in frame ? (frame.id as CallId | null) : null;
      text = JSON.stringify({ id, result: fail('server', 'The answer could not be sent.') });
    }
    socket.send(text);
  }

  const stopEvents = gate.onEvent((event, payload) => {
    for (const socket of authenticated) send(socket, { event, payload });
  });

  async function answer(socket: WebSocket, sender: WebSocketSender, id: CallId, channel: unknown, payload: unknown): Promise<void> {
    let result: IpcResult<unknown>;
    try {
      result = await gate.invoke(channel, payload, sender);
    } catch {
      // The gate never throws by contract; if it does anyway, no detail crosses the bridge.
      log.error('browser mode: the gate threw', { channel: typeof channel === 'string' ? channel.slice(0, 64) : typeof channel });
      result = fail('server', 'Something went wrong in Portal Admin.');
    }
    send(socket, { id, result });
  }

  server.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const sender: WebSocketSender = { transport: 'websocket', origin: String(request.headers.origin), authenticated: false };
    const helloTimer = setTimeout(() => {
      socket.close(CLOSE_POLICY, CLOSE_REASONS.helloTimeout);
      // A peer that ignores the close does not keep the socket either.
      setTimeout(() => socket.terminate(), 1_000).unref();
    }, helloTimeoutMs);
    pending.add(socket);
    let nextToken: string | null = null;
    let refreshTimer: NodeJS.Timeout | null = null;
    socket.on('error', (error) => log.warn('browser mode: bridge socket error', { message: error.message }));
    socket.on('close', () => {
      clearTimeout(helloTimer);
      if (refreshTimer) clearInterval(refreshTimer);
      pending.delete(socket);
      authenticated.delete(socket);
    });
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (!sender.authenticated) {
        clearTimeout(helloTimer);
        const frame = isBinary ? null : parseFrame(rawText(data));
        if (frame?.kind !== 'hello') {
          socket.close(CLOSE_POLICY, CLOSE_REASONS.helloExpected);
          return;
        }
        if (typeof frame.token !== 'string' || frame.token === '') {
          socket.close(CLOSE_POLICY, CLOSE_REASONS.tokenMissing);
          return;
        }
        if (!tokens.consume(frame.token)) {
          log.warn('browser mode: bridge handshake refused (token wrong or already used)');
          socket.close(CLOSE_POLICY, CLOSE_REASONS.tokenRefused);
          return;
        }
        pending.delete(socket);
        if (authenticated.size >= maxConnections) {
          socket.close(CLOSE_TRY_AGAIN_LATER, 'too many open pages');
          return;
        }
        sender.authenticated = true;
        authenticated.add(socket);
        // The next token lives until the page uses it or for a minute; an open page gets a fresh
        // one before that, and the one it replaces dies, so no page holds a token for long.
        const handOver = (): void => {
          // A closing page keeps the token it has: it is the one for its reload.
          if (socket.readyState !== WebSocket.OPEN) return;
          if (nextToken !== null) tokens.revoke(nextToken);
          nextToken = tokens.issue(NEXT_TOKEN_TTL_MS);
          send(socket, { type: 'welcome', nextToken });
        };
        handOver();
        refreshTimer = setInterval(handOver, nextTokenRefreshMs);
        refreshTimer.unref();
        return;
      }
      if (isBinary) {
        send(socket, { id: null, result: fail('invalid_input', 'Only JSON text frames are accepted.') });
        return;
      }
      const frame = parseFrame(rawText(data));
      if (frame.kind === 'malformed') send(socket, { id: frame.id, result: frame.result });
      else if (frame.kind === 'hello') send(socket, { id: null, result: fail('invalid_input', 'This connection is already authenticated.') });
      else void answer(socket, sender, frame.id, frame.channel, frame.payload);
    });
  });

  return {
    handleUpgrade(request, socket, head) {
      // Checked before the handshake completes, so a refused page never gets an open socket.
      if (request.url !== BRIDGE_PATH) return refuseUpgrade(socket, 404, 'No such endpoint.');
      if (!isHeaderExactly(request.headers.host, address.hostHeader)) {
        log.warn('browser mode: bridge refused a foreign Host header');
        return refuseUpgrade(socket, 403, 'Host not allowed.');
      }
      if (!isHeaderExactly(request.headers.origin, address.origin)) {
        log.warn('browser mode: bridge refused a foreign Origin');
        return refuseUpgrade(socket, 403, 'Origin not allowed.');
      }
      if (authenticated.size >= maxConnections) return refuseUpgrade(socket, 503, 'Too many connections.');
      // Sockets that never say hello do not count against the pages: the oldest waiting one makes room.
      while (pending.size >= maxPending) {
        const oldest = pending.values().next().value;
        if (oldest === undefined) break;
        pending.delete(oldest);
        oldest.terminate();
      }
      server.handleUpgrade(request, socket, head, (webSocket) => server.emit('connection', webSocket, request));
    },
    dropConnections() {
      let count = 0;
      for (const socket of server.clients) {
        socket.close(CLOSE_GOING_AWAY, 'connection dropped by the host');
        count++;
      }
      return count;
    },
    get authenticatedCount() {
      return authenticated.size;
    },
    async close() {
      stopEvents();
      for (const socket of server.clients) socket.close(CLOSE_GOING_AWAY, CLOSE_REASONS.shuttingDown);
      await new Promise<void>((resolve) => {
        // Sockets that do not finish the closing handshake in time are cut.
        const timer = setTimeout(() => {
          for (const socket of server.clients) socket.terminate();
        }, 1000);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
