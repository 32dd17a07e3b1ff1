import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket, type RawData } from 'ws';
import { fail, isIpcChannel, ok, type IpcEvent } from '../../../../common/ipc';
import type { BridgeGate, WebSocketSender } from '../../../../electron/browser-mode';
import { startBrowserMode, type BrowserModeHost } from '../../../../electron/browser-mode';

export const SECRET_OUTSIDE_ROOT = 'secret-outside-the-renderer-root';

/** A gate with the real gate's contract (unknown channel → invalid_input) and a record of calls. */
export function fakeGate() {
  const calls: Array<{ channel: unknown; payload: unknown; sender: WebSocketSender }> = [];
  const listeners = new Set<(event: IpcEvent, payload: unknown) => void>();
  const gate: BridgeGate = {
    async invoke(channel, payload, sender) {
      calls.push({ channel, payload, sender });
      if (!(sender.transport === 'websocket' && sender.authenticated)) return fail('forbidden_sender', 'not trusted');
      if (!isIpcChannel(channel)) return fail('invalid_input', 'unknown channel');
      return ok({ channel, echo: payload });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    gate,
    calls,
    emit: (event: IpcEvent, payload: unknown) => listeners.forEach((listener) => listener(event, payload)),
    get listenerCount() {
      return listeners.size;
    },
  };
}

/** A built-renderer stand-in: index.html, one asset, a hidden file, a link out of the root, and a secret beside the root. */
export function makeRendererDir(): { base: string; rendererDir: string; cleanup(): void } {
  const base = mkdtempSync(join(tmpdir(), 'browser-mode-test-'));
  const rendererDir = join(base, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Portal Admin</title><script type="module" src="./assets/app.js"></script>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(join(rendererDir, '.env'), 'HIDDEN=1');
  writeFileSync(join(base, 'secret.txt'), SECRET_OUTSIDE_ROOT);
  symlinkSync(join(base, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'));
  return { base, rendererDir, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

export async function startHost(options: { helloTimeoutMs?: number; maxConnections?: number; nextTokenRefreshMs?: number } = {}) {
  const site = makeRendererDir();
  const fake = fakeGate();
  const host = await startBrowserMode({ rendererDir: site.rendererDir, userDataDir: join(site.base, 'profile'), gate: fake.gate, ...options });
  return {
    host,
    fake,
    site,
    token: tokenOf(host.url),
    async close() {
      await host.close();
      site.cleanup();
    },
  };
}

export function tokenOf(pageUrl: string): string {
  const token = new URL(pageUrl).hash.replace(/^#token=/, '');
  if (!token) throw new Error(`no token in ${pageUrl}`);
  return token;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request with the raw path (no URL normalisation) and optional headers. */
export function get(host: BrowserModeHost, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port: host.port, path, method, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

type Received = { kind: 'message'; data: unknown } | { kind: 'close'; code: number; reason: string };

/** A `ws` client that records everything, so a test can await the next frame or the close. */
export class BridgeClient {
  private readonly queue: Received[] = [];
  private readonly waiters: Array<(item: Received) => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: RawData) => this.push({ kind: 'message', data: JSON.parse(String(data)) as unknown }));
    socket.on('close', (code: number, reason: Buffer) => this.push({ kind: 'close', code, reason: reason.toString() }));
  }

  private push(item: Received): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(item);
    else this.queue.push(item);
  }

  next(timeoutMs = 5000): Promise<Received> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no frame in time')), timeoutMs);
      this.waiters.push((item) => {
        clearTimeout(timer);
        resolve(item);
      });
    });
  }

  async nextMessage(): Promise<Record<string, unknown>> {
    const item = await this.next();
    if (item.kind !== 'message') throw new Error(`socket closed: ${item.code} ${item.reason}`);
    return item.data as Record<string, unknown>;
  }

  async nextClose(): Promise<{ code: number; reason: string }> {
    for (;;) {
      const item = await this.next();
      if (item.kind === 'close') return { code: item.code, reason: item.reason };
    }
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Opens a socket; `refused` holds the HTTP status when the upgrade was refused. */
  static connect(host: BrowserModeHost, headers: { origin?: string | null; host?: string; path?: string } = {}): Promise<{ client: BridgeClient } | { refused: number }> {
    const origin = headers.origin === undefined ? host.origin : headers.origin;
    const extra: Record<string, string> = {};
    if (origin !== null) extra.Origin = origin;
    if (headers.host) extra.Host = headers.host;
    const socket = new WebSocket(`ws://127.0.0.1:${host.port}${headers.path ?? '/bridge'}`, { headers: extra, perMessageDeflate: false });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve({ client: new BridgeClient(socket) }));
      socket.once('unexpected-response', (_request, response) => {
        resolve({ refused: response.statusCode ?? 0 });
        socket.terminate();
      });
      socket.once('error', reject);
      socket.on('error', () => {}); // later errors (a terminated refusal) are expected
    });
  }

  /** Connects with the right headers and spends `token` on the handshake. */
  static async authenticated(host: BrowserModeHost, token: string): Promise<{ client: BridgeClient; nextToken: string }> {
    const connected = await BridgeClient.connect(host);
    if (!('client' in connected)) throw new Error(`refused: ${connected.refused}`);
    connected.client.send({ type: 'hello', token });
    const welcome = await connected.client.nextMessage();
    if (welcome.type !== 'welcome' || typeof welcome.nextToken !== 'string') throw new Error(`no welcome: ${JSON.stringify(welcome)}`);
    return { client: connected.client, nextToken: welcome.nextToken };
  }
}
