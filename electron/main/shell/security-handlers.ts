import type { Session, WebContents } from 'electron';
import type { Logger } from '../log';
import { allowedExternalUrl, isAllowedNavigation } from './navigation-policy';

/**
 * The Electron security checklist, applied to every WebContents and to the session:
 * navigation only inside app://portal-admin, no new windows, no <webview>, no permissions,
 * no network from the renderer. Electron objects come in as parameters so Node tests can pass fakes.
 */

export interface SecurityHandlerOptions {
  /** Hosts whose https links may open in the system browser (exact match, see navigation-policy). */
  externalAllowlist: readonly string[];
  /** `shell.openExternal`. */
  openExternal: (url: string) => Promise<void>;
  log?: Pick<Logger, 'warn'>;
}

/** Scheme and host only: a refused URL may carry anything in its path or query. */
export function describeUrlForLog(url: unknown): string {
  if (typeof url !== 'string') return `(${typeof url})`;
  try {
    const parsed = new URL(url);
    return parsed.host ? `${parsed.protocol}//${parsed.host}` : parsed.protocol;
  } catch {
    return '(unparsable)';
  }
}

function openIfAllowed(url: unknown, options: SecurityHandlerOptions): boolean {
  const external = allowedExternalUrl(url, options.externalAllowlist);
  if (external === null) return false;
  options.openExternal(external).catch((error: unknown) => {
    options.log?.warn('Opening a link in the system browser failed', { url: describeUrlForLog(external), error });
  });
  return true;
}

type NavigationEvent = { url?: string; preventDefault(): void };

/** What the handlers need of a WebContents (Electron's own type, narrowed, so fakes stay small). */
export type GuardedWebContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export function applyWebContentsSecurity(contents: GuardedWebContents, options: SecurityHandlerOptions): void {
  const guard = (kind: string) => (event: NavigationEvent, positionalUrl?: unknown) => {
    // Electron ≥ 25 puts the URL on the event; older listeners got it as the second argument.
    const url = event.url ?? positionalUrl;
    if (isAllowedNavigation(url)) return;
    event.preventDefault();
    // A plain link to an allowed https page opens in the system browser instead.
    const opened = kind === 'will-navigate' && openIfAllowed(url, options);
    if (!opened) options.log?.warn('Blocked navigation', { kind, url: describeUrlForLog(url) });
  };
  contents.on('will-navigate', guard('will-navigate'));
  contents.on('will-frame-navigate', guard('will-frame-navigate'));
  contents.on('will-redirect', guard('will-redirect'));

  // No window is ever created by the page; links meant for a new window may go to the browser.
  contents.setWindowOpenHandler((details) => {
    if (!openIfAllowed(details.url, options)) options.log?.warn('Blocked window.open', { url: describeUrlForLog(details.url) });
    return { action: 'deny' };
  });

  // `webviewTag: false` already stops <webview>; this catches a page that tries anyway.
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    options.log?.warn('Blocked <webview>');
  });
}

export type GuardedSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'> & {
  webRequest: Pick<Session['webRequest'], 'onBeforeRequest'>;
};

/** Schemes the renderer may never fetch: main makes every portal call (DESIGN.md). */
const NETWORK_URL_FILTER = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'];

export function applySessionSecurity(session: GuardedSession, log?: Pick<Logger, 'warn'>): void {
  // Portal Admin needs no camera, microphone, notifications, geolocation, clipboard-read, HID…
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log?.warn('Denied permission request', { permission });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  // Belt and braces behind the CSP's connect-src: the renderer has no network of its own.
  session.webRequest.onBeforeRequest({ urls: NETWORK_URL_FILTER }, (details, callback) => {
    log?.warn('Blocked a network request from the renderer', { url: describeUrlForLog(details.url) });
    callback({ cancel: true });
  });
}
