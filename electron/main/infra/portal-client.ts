import { createHash } from 'node:crypto';
import { Agent, type AgentOptions, type RequestOptions } from 'node:https';
import * as tls from 'node:tls';
import type { Duplex } from 'node:stream';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { z } from 'zod';
import { IpcFailure } from '../../../common/ipc';
import { silentLogger, type Logger } from '../log';
import { failureFromResponse, failureFromTransportError, MESSAGES, parseApiError } from './portal-errors';

/**
 * A 401 that ends the session. `step_up_required` is a 401 about one change (sudo mode: a fresh
 * code is needed), not about the session: it is not refreshed away and does not sign out.
 */
function isSessionRefused(response: AxiosResponse): boolean {
  return response.status === 401 && parseApiError(response.data)?.code !== 'step_up_required';
}

declare module 'axios' {
  interface AxiosRequestConfig {
    /** Main-only marker: the request interceptor attaches the session's access token. */
    portalAuthenticated?: boolean;
    /** Main-only: a specific access token to attach instead (revoking a session that has just ended). */
    portalBearer?: string;
  }
}

/**
 * Where the portal is and what to trust for it.
 *
 * Trust model (TLS is always verified; `rejectUnauthorized: false` appears nowhere):
 * - The system's CAs are always trusted (`tls.getCACertificates('system'|'default')` where Node has
 *   it, else Node's bundled Mozilla roots).
 * - `caPems` adds trust anchors: the contents of a CA file from Settings, or a portal's own
 *   self-signed certificate handed over by the launcher (the demo portal).
 * - `certificatePin` (SHA-256 of the leaf certificate's DER, lower-case hex) is an ADDITIONAL check
 *   after chain and hostname verification, never a replacement: a pin cannot make an untrusted
 *   chain acceptable, because Node checks the chain before `checkServerIdentity` runs and the only
 *   way around that is turning verification off. So a self-signed portal is configured with its
 *   certificate as a CA (`caPems`/`caFile`), optionally plus the pin to stop a different
 *   certificate from the same CA being accepted.
 */
export interface PortalEndpoint {
  url: string;
  caPems?: readonly string[];
  certificatePin?: string | null;
}

/** What the client needs from the session (implemented by the auth service). */
export interface TokenSource {
  /** The access token to attach; throws IpcFailure('unauthenticated') when no session is live. */
  accessToken(): string;
  /** After the portal refused `rejectedToken`: refresh once (single-flight); true when a new token is ready. */
  refreshAfterRejection(rejectedToken: string): Promise<boolean>;
  /** A successful authenticated call: activity for the idle timeout. */
  onActivity(): void;
  /** The portal refused even a fresh token: the session is over. */
  onUnauthenticated(): void;
}

export interface PortalRequest<T> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Below `/api/v1`, e.g. `/auth/login`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** The 2xx body's schema: an answer that does not match is a `server` failure. */
  schema: z.ZodType<T>;
  /**
   * 'bytes': the 2xx body comes back unparsed, as a Uint8Array (schema `z.instanceof(Uint8Array)`),
   * for a large answer another thread reads (the import's lookups); error answers are mapped as ever.
   */
  responseType?: 'json' | 'bytes';
  /** Attach the access token and refresh once on 401 (default true). */
  authenticated?: boolean;
  /** With `authenticated: false`: attach this access token, no refresh (revoking an ended session). */
  bearer?: string;
}

export interface PortalClient {
  readonly url: string;
  readonly origin: string;
  request<T>(request: PortalRequest<T>): Promise<T>;
  /** Closes pooled connections and cancels calls in flight. */
  dispose(): void;
}

export interface PortalClientOptions {
  endpoint: PortalEndpoint;
  tokens?: TokenSource;
  /** Time allowed for TCP + TLS to be established (default 10 s). */
  connectTimeoutMs?: number;
  /** Time allowed for a whole request (default 20 s). */
  requestTimeoutMs?: number;
  /** Told after each call whether the portal answered (true) or could not be reached (false). */
  onReachability?: (isReachable: boolean) => void;
  log?: Logger;
}

export const API_PREFIX = '/api/v1';

export function pinOfCertificate(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

function systemCertificates(): string[] {
  const withStore = tls as typeof tls & { getCACertificates?: (type: 'default' | 'system' | 'bundled') => string[] };
  if (typeof withStore.getCACertificates === 'function') {
    const merged = new Set([...withStore.getCACertificates('default'), ...safe(() => withStore.getCACertificates!('system'))]);
    return [...merged];
  }
  return [...tls.rootCertificates];
}
function safe(read: () => string[]): string[] {
  try {
    return read();
  } catch {
    return [];
  }
}

/** An https.Agent that also bounds how long establishing a connection (TCP + TLS) may take. */
class PortalAgent extends Agent {
  constructor(
    options: AgentOptions,
    private readonly connectTimeoutMs: number,
  ) {
    super(options);
  }

  override createConnection(options: RequestOptions, callback?: (error: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const socket = super.createConnection(options, callback);
    if (socket instanceof tls.TLSSocket) {
      const timer = setTimeout(() => {
        const error = Object.assign(new Error('connecting to the portal timed out'), { code: 'ERR_PORTAL_CONNECT_TIMEOUT' });
        socket.destroy(error);
      }, this.connectTimeoutMs);
      timer.unref();
      const clear = () => clearTimeout(timer);
      socket.once('secureConnect', clear);
      socket.once('close', clear);
    }
    return socket;
  }
}

export function createHttpsAgent(endpoint: PortalEndpoint, connectTimeoutMs: number): Agent {
  const extra = endpoint.caPems?.filter((pem) => pem.trim() !== '') ?? [];
  const pin = endpoint.certificatePin?.toLowerCase() ?? null;
  return new PortalAgent(
    {
      keepAlive: true,
      keepAliveMsecs: 15_000,
      maxSockets: 8,
      // As many idle connections as the import keeps batches in flight, so none is re-opened (a TLS handshake) per batch.
      maxFreeSockets: 4,
      // One secure context for every connection: given as `ca`, Node would load every system
      // certificate into a new context per connection and string the whole list into the agent's
      // pool key on every request (seconds of main's time over an import's hundreds of requests).
      ...(extra.length > 0 ? { secureContext: tls.createSecureContext({ ca: [...systemCertificates(), ...extra], minVersion: 'TLSv1.2' }) } : {}),
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      checkServerIdentity(host, certificate) {
        // Normal hostname verification first, always.
        const error = tls.checkServerIdentity(host, certificate);
        if (error) return error;
        if (pin && pinOfCertificate(certificate.raw) !== pin) {
          return Object.assign(new Error("The portal's certificate does not match the configured pin."), { code: 'ERR_CERT_PIN_MISMATCH' });
        }
        return undefined;
      },
    },
    connectTimeoutMs,
  );
}

function headerRecord(response: AxiosResponse): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const retryAfter: unknown = response.headers['retry-after'];
  if (retryAfter !== undefined) result['retry-after'] = retryAfter;
  return result;
}

function bearerOf(response: AxiosResponse): string | null {
  const header: unknown = response.config.headers.get?.('Authorization');
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice('Bearer '.length) : null;
}

/** An error answer read as bytes, as JSON (undefined when it is not JSON). */
function jsonOf(data: Buffer): unknown {
  try {
    return JSON.parse(data.toString('utf8'));
  } catch {
    return undefined;
  }
}

export function createPortalClient(options: PortalClientOptions): PortalClient {
  const log = options.log ?? silentLogger;
  let base: URL;
  try {
    base = new URL(options.endpoint.url);
  } catch {
    throw new IpcFailure('not_configured', 'The portal address is not a valid URL. Set it in Settings.');
  }
  if (base.protocol !== 'https:') throw new IpcFailure('tls_untrusted', 'Portal Admin talks to the portal over HTTPS only.');
  const url = base.href.replace(/\/+$/, '');
  const agent = createHttpsAgent(options.endpoint, options.connectTimeoutMs ?? 10_000);
  const abort = new AbortController();

  const instance: AxiosInstance = axios.create({
    baseURL: `${url}${API_PREFIX}`,
    adapter: 'http',
    httpsAgent: agent,
    timeout: options.requestTimeoutMs ?? 20_000,
    // A proxy from the environment would see (or terminate) the TLS we insist on verifying.
    proxy: false,
    // A redirect could carry the bearer token to another host.
    maxRedirects: 0,
    maxContentLength: 32 * 1024 * 1024,
    maxBodyLength: 1024 * 1024,
    responseType: 'json',
    // Every status comes back as a response and is mapped below; only transport failures throw.
    validateStatus: () => true,
    transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: true },
    headers: { Accept: 'application/json' },
  });

  // The only place an access token is put on a request; it exists in main only.
  instance.interceptors.request.use((config) => {
    if (config.portalAuthenticated) {
      if (!options.tokens) throw new IpcFailure('unauthenticated', MESSAGES.unauthenticated);
      config.headers.set('Authorization', `Bearer ${options.tokens.accessToken()}`);
    } else if (config.portalBearer) {
      config.headers.set('Authorization', `Bearer ${config.portalBearer}`);
    }
    config.portalBearer = undefined;
    return config;
  });

  async function send(request: PortalRequest<unknown>, isAuthenticated: boolean): Promise<AxiosResponse> {
    try {
      const response = await instance.request({
        method: request.method,
        url: request.path,
        params: request.query ? Object.fromEntries(Object.entries(request.query).filter(([, value]) => value !== undefined)) : undefined,
        data: request.body,
        headers: request.headers,
        signal: abort.signal,
        responseType: request.responseType === 'bytes' ? 'arraybuffer' : 'json',
        portalAuthenticated: isAuthenticated,
        portalBearer: isAuthenticated ? undefined : request.bearer,
      });
      options.onReachability?.(true);
      // An error answer is read as JSON whatever was asked for: it is mapped to its failure below.
      if (request.responseType === 'bytes' && (response.status < 200 || response.status >= 300)) response.data = jsonOf(response.data as Buffer);
      return response;
    } catch (error) {
      // The raw error (config, headers, socket) ends here; only a contract failure leaves.
      const failure = failureFromTransportError(error);
      if (failure.code === 'offline' || failure.code === 'timeout') options.onReachability?.(false);
      if (!(error instanceof IpcFailure)) log.info('portal: request failed', { method: request.method, path: request.path, code: failure.code, cause: error });
      throw failure;
    }
  }

  return {
    url,
    origin: base.origin,
    async request<T>(request: PortalRequest<T>): Promise<T> {
      const isAuthenticated = request.authenticated ?? true;
      let response = await send(request, isAuthenticated);
      if (isSessionRefused(response) && isAuthenticated && options.tokens) {
        const rejected = bearerOf(response);
        const isRefreshed = rejected !== null && (await options.tokens.refreshAfterRejection(rejected));
        if (isRefreshed) response = await send(request, isAuthenticated);
        if (isSessionRefused(response)) {
          options.tokens.onUnauthenticated();
          throw new IpcFailure('unauthenticated', MESSAGES.unauthenticated);
        }
      }
      if (response.status < 200 || response.status >= 300) {
        const failure = failureFromResponse(response.status, headerRecord(response), response.data);
        log.info('portal: answered with an error', { method: request.method, path: request.path, status: response.status, code: failure.code });
        throw failure;
      }
      const parsed = request.schema.safeParse(response.status === 204 || response.data === '' ? undefined : response.data);
      if (!parsed.success) {
        log.warn('portal: answer did not match its schema', { method: request.method, path: request.path, status: response.status });
        throw new IpcFailure('server', MESSAGES.not_understood);
      }
      if (isAuthenticated) options.tokens?.onActivity();
      return parsed.data;
    },
    dispose() {
      // Calls are cancelled and sockets destroyed on the next turn of the event loop: destroying a
      // TLS socket from a promise continuation that Node runs while still decrypting data on it
      // can crash Node 20 (SIGSEGV in SSL_read under TLSWrap::ClearOut; seen in this project's
      // fault tests with a core dump).
      setImmediate(() => {
        abort.abort();
        agent.destroy();
      });
    },
  };
}
