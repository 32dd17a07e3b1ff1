import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger, type Logger } from '../main/log';
import type { ServicesPortalOption } from '../main/create-services';
import type { BridgeGate } from './bridge-gate';
import { createBridgeTokens } from './bridge-tokens';
import { assertLoopbackHost, isHeaderExactly, loopbackAddress, type LoopbackAddress } from './loopback-address';
import { securityHeaders } from './security-headers';
import { createStaticSite } from './static-files';
import { createWebSocketBridge, type WebSocketBridge } from './websocket-bridge';

/** The portal for this run; `caFile` is trusted besides the system CAs (the demo portal's certificate). */
export type BrowserModePortal = ServicesPortalOption;

export interface BrowserModeOptions {
  /** 0 (the default) lets the OS pick a free port. */
  port?: number;
  /** An IPv4 loopback address; 127.0.0.1 by default. */
  host?: string;
  /** The built renderer (`out/renderer`). */
  rendererDir: string;
  /** The user-data folder (settings, drafts, logs). Unused when `gate` is given. */
  userDataDir: string;
  portal?: BrowserModePortal;
  /** Undefined: the OS keychain, unless PORTAL_ADMIN_KEYCHAIN=memory (tests). */
  keychain?: 'os' | 'memory';
  /** Undefined: the services' log file under `<userDataDir>/logs` (silent with an injected gate). */
  log?: Logger;
  /** A ready gate (tests). Without it the real services and gate are created, and disposed on close. */
  gate?: BridgeGate;
  /** The Language setting's language when one is chosen (with `gate`; the real services' otherwise): `?locale=` of the page addresses. */
  pageLocale?: () => string | null;
  /** Whether a page opened now resumes a session or a sign-in waiting for its code (with `gate`; the real services' otherwise). */
  isResuming?: () => Promise<boolean>;
  /** How long an opened bridge socket may take to send its token (5 s). */
  helloTimeoutMs?: number;
  /** Authenticated bridge sockets at most (64); sockets waiting for their token never count. */
  maxConnections?: number;
  /** How often an open page gets a fresh next token (30 s; tests). */
  nextTokenRefreshMs?: number;
}

export interface BrowserModeHost {
  /** `http://127.0.0.1:PORT/#token=TOKEN` (`/?locale=de#token=…` with a Language setting): open it once within 10 minutes; the token is spent by that page load. */
  url: string;
  port: number;
  /** `http://127.0.0.1:PORT`, the only Origin the bridge accepts. */
  origin: string;
  /** Another single-use page address, for 10 minutes (a second tab, a lost token). */
  newPageUrl(): string;
  /** Closes every bridge socket; pages reconnect with their next token (tests of reconnecting). */
  dropConnections(): number;
  close(): Promise<void>;
}

/**
 * Browser mode: the main-process services in plain Node, the built renderer over
 * http://127.0.0.1:PORT and the IPC channels over a WebSocket — the same gate, the same
 * validation, the same contract as the Electron window (DESIGN.md, "one handler gate, two transports").
 */
export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserModeHost> {
  const host = options.host ?? '127.0.0.1';
  assertLoopbackHost(host);

  let gate = options.gate;
  let log = options.log ?? silentLogger;
  let pageLocale = options.pageLocale ?? ((): string | null => null);
  let isResuming = options.isResuming ?? ((): Promise<boolean> => Promise.resolve(false));
  let disposeServices: (() => Promise<void>) | null = null;
  if (!gate) {
    // Loaded only when needed: tests with an injected gate never touch the keychain or the portal.
    const { createServicesGate } = await import('./services-gate');
    const created = await createServicesGate({ userDataDir: options.userDataDir, portal: options.portal, keychain: options.keychain, log: options.log });
    gate = created.gate;
    log = created.log;
    pageLocale = created.pageLocale;
    isResuming = created.isResuming;
    disposeServices = created.dispose;
  }

  let bridge: WebSocketBridge | null = null;
  let address: LoopbackAddress | null = null;
  let serveFile: ((request: IncomingMessage, response: ServerResponse) => Promise<void>) | null = null;

  const server = createServer((request, response) => {
    if (!address || !serveFile) {
      response.writeHead(503).end();
      return;
    }
    // DNS rebinding: a page on evil.test resolved to 127.0.0.1 sends `Host: evil.test:PORT`.
    if (!isHeaderExactly(request.headers.host, address.hostHeader)) {
      response.writeHead(421, { ...securityHeaders(address), 'Content-Type': 'text/plain; charset=utf-8' }).end('Misdirected request: use the address Portal Admin printed.\n');
      return;
    }
    serveFile(request, response).catch((error: unknown) => {
      log.error('browser mode: static file failed', { message: error instanceof Error ? error.message : String(error) });
      if (!response.headersSent) response.writeHead(500, securityHeaders(address!));
      response.end();
    });
  });
  server.on('upgrade', (request: IncomingMessage, socket, head: Buffer) => {
    if (!bridge) {
      socket.destroy();
      return;
    }
    bridge.handleUpgrade(request, socket, head);
  });
  // Slow or idle clients must not hold sockets forever (this is a loopback service, answers are small).
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await disposeServices?.();
    throw error;
  }

  const port = (server.address() as AddressInfo).port;
  address = loopbackAddress(host, port);
  const tokens = createBridgeTokens();
  // The page is served in its first paint's language, without its sign-in form while signed in (a new tab, a reload).
  serveFile = createStaticSite({ rootDir: options.rendererDir, headers: securityHeaders(address), pageLocale: () => pageLocale(), isResuming: () => isResuming() });
  bridge = createWebSocketBridge({ gate, tokens, address, log, helloTimeoutMs: options.helloTimeoutMs, maxConnections: options.maxConnections, nextTokenRefreshMs: options.nextTokenRefreshMs });
  const origin = address.origin;
  // `?locale=`: the prerendered sign-in page is painted in the chosen language, even in a browser profile
  // that has not shown this origin (port) before (common/first-paint.ts).
  const pageUrl = (): string => {
    const locale = pageLocale();
    return `${origin}/${locale === null ? '' : `?locale=${encodeURIComponent(locale)}`}#token=${tokens.issue()}`;
  };
  log.info('browser mode: listening', { origin });

  let closing: Promise<void> | null = null;
  return {
    url: pageUrl(),
    port,
    origin,
    newPageUrl: pageUrl,
    dropConnections: () => bridge?.dropConnections() ?? 0,
    close() {
      closing ??= (async () => {
        tokens.revokeAll();
        await bridge?.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await disposeServices?.();
        log.info('browser mode: closed');
      })();
      return closing;
    },
  };
}
