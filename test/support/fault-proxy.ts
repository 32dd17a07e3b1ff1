/**
 * A fault-injecting HTTPS proxy between Portal Admin's portal client and the reference portal, for
 * the sync fault tests and `npm run bench:sync`. Loopback only.
 *
 * It terminates TLS with the portal's own key and certificate and re-originates TLS to the portal
 * (verifying it against that same certificate), so the client under test keeps full verification
 * (it trusts `portal.tls.cert`, as it would trust the portal) while the proxy can act at HTTP level:
 * a TCP-level proxy could not answer a 503, because the TLS it would relay is end to end.
 *
 * Faults, drawn per request from `setFaults(...)`:
 *   - latency: a random delay up to `latencyMs` before the request is forwarded. The request is
 *     forwarded even if the client gave up meanwhile (it was "in the network"), so a client timeout
 *     can hide a change the portal did apply;
 *   - reset: the client's TCP connection is reset (RST), before the request is forwarded, or after
 *     the portal answered (it applied the change; the client never hears of it);
 *   - blackhole: no answer at all (the client's timeout), again before or after the portal answered;
 *   - unavailable: the proxy answers 503 itself, with Retry-After.
 * `stop()` makes the portal "go away" (connections are refused and open ones dropped) until `start()`.
 */
import { Agent, createServer, request as httpsRequest, type Server } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Faults {
  /** Each request waits a random 0..latencyMs before it is forwarded. */
  latencyMs: number;
  /** Share of requests whose client connection is reset with a TCP RST. */
  resetProbability: number;
  /** Share of requests that never get an answer (the client times out). */
  blackholeProbability: number;
  /** Share of requests the proxy answers itself with 503 and Retry-After. */
  unavailableProbability: number;
  /** Retry-After of an injected 503: a whole number of seconds from this range. */
  retryAfterSeconds: readonly [number, number];
  /** Of the resets and blackholes, the share that happen after the portal answered. */
  afterPortalShare: number;
}

export const NO_FAULTS: Faults = {
  latencyMs: 0,
  resetProbability: 0,
  blackholeProbability: 0,
  unavailableProbability: 0,
  retryAfterSeconds: [1, 1],
  afterPortalShare: 0.5,
};

export const FAULT_KINDS = ['delayed', 'reset-before', 'reset-after', 'blackhole-before', 'blackhole-after', 'unavailable'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultProxyCounters {
  connections: number;
  requests: number;
  /** Requests the portal answered (whatever the client then got). */
  forwarded: number;
  /** Answers relayed to the client (portal answers and injected 503s). */
  answered: number;
  /** Times the portal "went away" (`stop()`). */
  outages: number;
  faults: Record<FaultKind, number>;
}

export type FaultProxyEvent =
  | { kind: 'request'; method: string; path: string }
  | { kind: 'forwarded'; method: string; path: string; status: number }
  | { kind: FaultKind; method: string; path: string };

export interface FaultProxyOptions {
  /** The portal's port on 127.0.0.1. */
  targetPort: number;
  /** The portal's certificate and key: served to the client, and trusted for the upstream connection. */
  tls: { cert: string; key: string };
  faults?: Partial<Faults>;
  /** The source of every fault decision (a seeded PRNG makes a run reproducible). */
  random?: () => number;
}

export interface FaultProxy {
  /** `https://127.0.0.1:<port>`: the address to give the client instead of the portal's. */
  readonly url: string;
  readonly port: number;
  readonly isRunning: boolean;
  /** Replaces the faults (fields not given are "no fault"). */
  setFaults(faults: Partial<Faults>): void;
  faults(): Faults;
  setRandom(random: () => number): void;
  /** The portal goes away: the port refuses connections and open connections are dropped. */
  stop(): Promise<void>;
  /** The portal is back, on the same port. */
  start(): Promise<void>;
  counters(): FaultProxyCounters;
  /** Requests received and not yet finished (answered, reset, or dropped by the client). */
  inFlight(): number;
  /** Resolves when no request is in flight (or after `timeoutMs`, with false). */
  idle(timeoutMs?: number): Promise<boolean>;
  /** Every request and fault as it happens; returns an unsubscribe function. */
  onEvent(listener: (event: FaultProxyEvent) => void): () => void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Hop-by-hop headers (RFC 9110 §7.6.1) are not forwarded; the proxy sets its own framing. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'content-length']);

function endToEnd(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) result[name] = value;
  return result;
}

function readBody(message: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    message.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) message.destroy(new Error('body too large for the fault proxy'));
      else chunks.push(chunk);
    });
    message.on('end', () => resolve(Buffer.concat(chunks)));
    message.on('error', reject);
  });
}

const emptyFaultCounts = (): Record<FaultKind, number> => Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  let faults: Faults = { ...NO_FAULTS, ...options.faults };
  let random = options.random ?? Math.random;
  const counters: FaultProxyCounters = { connections: 0, requests: 0, forwarded: 0, answered: 0, outages: 0, faults: emptyFaultCounts() };
  const listeners = new Set<(event: FaultProxyEvent) => void>();
  const upstream = new Agent({ keepAlive: true, maxSockets: 16, ca: options.tls.cert });
  // The raw TCP socket of each client connection, by its remote port: a TLS socket cannot send a
  // RST itself (`resetAndDestroy` needs the TCP handle), the raw socket underneath can.
  const rawSockets = new Map<number, Socket>();
  let inFlight = 0;
  const idleWaiters = new Set<() => void>();
  let isRunning = false;
  let port = 0;

  const emit = (event: FaultProxyEvent) => {
    for (const listener of listeners) listener(event);
  };
  const count = (kind: FaultKind, method: string, path: string) => {
    counters.faults[kind]++;
    emit({ kind, method, path });
  };

  function pickFault(): 'reset' | 'blackhole' | 'unavailable' | null {
    const draw = random();
    let edge = faults.unavailableProbability;
    if (draw < edge) return 'unavailable';
    edge += faults.resetProbability;
    if (draw < edge) return 'reset';
    edge += faults.blackholeProbability;
    if (draw < edge) return 'blackhole';
    return null;
  }

  function reset(request: IncomingMessage): void {
    const raw = rawSockets.get(request.socket.remotePort ?? -1);
    // On the next turn of the event loop: destroying a TLS connection from a promise continuation
    // that Node runs while it is still decrypting that connection's data crashes Node 20 (SIGSEGV
    // in SSL_read under TLSWrap::ClearOut, seen here with a core dump).
    setImmediate(() => {
      if (raw && !raw.destroyed) raw.resetAndDestroy();
      else request.socket.destroy();
    });
  }

  function forward(request: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer } | null> {
    return new Promise((resolve) => {
      const outgoing = httpsRequest(
        {
          host: '127.0.0.1',
          port: options.targetPort,
          method: request.method,
          path: request.url,
          agent: upstream,
          headers: { ...endToEnd(request.headers), 'content-length': String(body.length) },
        },
        (answer) => {
          readBody(answer).then(
            (answerBody) => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: answerBody }),
            () => resolve(null),
          );
        },
      );
      outgoing.on('error', () => resolve(null));
      outgoing.end(body);
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const path = request.url ?? '/';
    counters.requests++;
    emit({ kind: 'request', method, path });
    const body = await readBody(request);
    const fault = pickFault();
    const isAfterPortal = random() < faults.afterPortalShare;
    const delay = faults.latencyMs > 0 ? Math.floor(random() * (faults.latencyMs + 1)) : 0;
    if (delay > 0) {
      count('delayed', method, path);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    if (fault === 'unavailable') {
      const [low, high] = faults.retryAfterSeconds;
      const retryAfter = low + Math.floor(random() * (high - low + 1));
      count('unavailable', method, path);
      if (response.destroyed) return;
      response.writeHead(503, { 'content-type': 'application/json', 'retry-after': String(retryAfter) });
      response.end(JSON.stringify({ code: 'unavailable', message: 'The portal is unavailable (injected by the fault proxy).' }));
      counters.answered++;
      return;
    }
    if (fault === 'reset' && !isAfterPortal) {
      count('reset-before', method, path);
      reset(request);
      return;
    }
    if (fault === 'blackhole' && !isAfterPortal) {
      count('blackhole-before', method, path);
      return; // held until the client gives up and closes the connection
    }
    const answer = await forward(request, body);
    if (answer) {
      counters.forwarded++;
      emit({ kind: 'forwarded', method, path, status: answer.status });
    }
    if (fault === 'reset') {
      count('reset-after', method, path);
      reset(request);
      return;
    }
    if (fault === 'blackhole') {
      count('blackhole-after', method, path);
      return;
    }
    if (response.destroyed) return;
    if (!answer) {
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: 'bad_gateway', message: 'The fault proxy could not reach the portal.' }));
    } else {
      response.writeHead(answer.status, { ...endToEnd(answer.headers), 'content-length': String(answer.body.length) });
      response.end(answer.body);
    }
    counters.answered++;
  }

  const server: Server = createServer({ key: options.tls.key, cert: options.tls.cert }, (request, response) => {
    inFlight++;
    let isDone = false;
    const done = () => {
      if (isDone) return;
      isDone = true;
      inFlight--;
      if (inFlight === 0) for (const wake of [...idleWaiters]) wake();
    };
    // 'close' also comes when the client drops the connection first (a held or reset request).
    response.once('close', done);
    handle(request, response).catch(() => {
      request.socket.destroy();
      done();
    });
  });
  server.on('connection', (socket: Socket) => {
    counters.connections++;
    const remotePort = socket.remotePort;
    if (remotePort === undefined) return;
    rawSockets.set(remotePort, socket);
    socket.once('close', () => {
      if (rawSockets.get(remotePort) === socket) rawSockets.delete(remotePort);
    });
  });
  // A reset or dropped connection is the point of this proxy, not an error.
  server.on('tlsClientError', () => {});
  server.on('clientError', (_error, socket) => socket.destroy());

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        isRunning = true;
        resolve();
      });
    });
  const unlisten = () =>
    new Promise<void>((resolve) => {
      isRunning = false;
      server.close(() => resolve());
      // On the next turn of the event loop, for the reason given in reset().
      setImmediate(() => {
        for (const socket of rawSockets.values()) socket.destroy();
        server.closeAllConnections();
      });
    });

  await listen();

  const proxy: FaultProxy = {
    get url() {
      return `https://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    get isRunning() {
      return isRunning;
    },
    setFaults(next) {
      faults = { ...NO_FAULTS, ...next };
    },
    faults: () => ({ ...faults }),
    setRandom(next) {
      random = next;
    },
    async stop() {
      if (!isRunning) return;
      counters.outages++;
      await unlisten();
    },
    async start() {
      if (!isRunning) await listen();
    },
    counters: () => ({ ...counters, faults: { ...counters.faults } }),
    inFlight: () => inFlight,
    idle(timeoutMs = 5_000) {
      if (inFlight === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          idleWaiters.delete(wake);
          resolve(true);
        };
        const timer = setTimeout(() => {
          idleWaiters.delete(wake);
          resolve(false);
        }, timeoutMs);
        idleWaiters.add(wake);
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      if (isRunning) await unlisten();
      upstream.destroy();
    },
  };
  return proxy;
}
