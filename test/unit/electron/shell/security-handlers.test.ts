import { describe, expect, it, vi } from 'vitest';
import { applySessionSecurity, applyWebContentsSecurity, describeUrlForLog } from '../../../../electron/main/shell/security-handlers';
import { APP_ENTRY_URL } from '../../../../electron/main/shell/navigation-policy';
import { fakeEvent, FakeSession, FakeWebContents } from './fakes';
import { EXTERNAL_ALLOWLIST, HOSTILE_URLS } from './hostile-urls';

function guardedContents() {
  const contents = new FakeWebContents();
  const openExternal = vi.fn(async (_url: string) => undefined);
  const warn = vi.fn();
  applyWebContentsSecurity(contents.asElectron(), { externalAllowlist: EXTERNAL_ALLOWLIST, openExternal, log: { warn } });
  return { contents, openExternal, warn };
}

const NAVIGATION_EVENTS = ['will-navigate', 'will-frame-navigate', 'will-redirect'] as const;

describe('web contents security handlers', () => {
  it('guards every navigation event, window.open and <webview>', () => {
    const { contents } = guardedContents();
    for (const event of [...NAVIGATION_EVENTS, 'will-attach-webview']) expect(contents.listeners.get(event), event).toHaveLength(1);
    expect(contents.windowOpenHandler).not.toBeNull();
  });

  it.each(NAVIGATION_EVENTS)('%s: blocks all hostile URLs and opens none of them', (eventName) => {
    const { contents, openExternal } = guardedContents();
    for (const url of HOSTILE_URLS) {
      const event = fakeEvent({ url });
      contents.emit(eventName, event, url);
      expect(event.defaultPrevented, url).toBe(true);
    }
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('lets the window move inside app://portal-admin', () => {
    const { contents } = guardedContents();
    for (const eventName of NAVIGATION_EVENTS) {
      const event = fakeEvent({ url: `${APP_ENTRY_URL}#/employees` });
      contents.emit(eventName, event);
      expect(event.defaultPrevented).toBe(false);
    }
  });

  it('reads the deprecated positional URL when the event has none', () => {
    const { contents } = guardedContents();
    const event = fakeEvent();
    contents.emit('will-navigate', event, 'https://evil.com/');
    expect(event.defaultPrevented).toBe(true);
  });

  it('sends a plain link to an allowed https page to the system browser instead of navigating', () => {
    const { contents, openExternal } = guardedContents();
    const event = fakeEvent({ url: 'https://DOCS.example.com/help' });
    contents.emit('will-navigate', event);
    expect(event.defaultPrevented).toBe(true);
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('https://docs.example.com/help');
  });

  it('never opens anything from a redirect or a subframe navigation', () => {
    const { contents, openExternal } = guardedContents();
    contents.emit('will-redirect', fakeEvent({ url: 'https://docs.example.com/' }));
    contents.emit('will-frame-navigate', fakeEvent({ url: 'https://docs.example.com/' }));
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('window.open is always denied; only allowed https links go to the system browser', () => {
    const { contents, openExternal } = guardedContents();
    const handler = contents.windowOpenHandler!;
    for (const url of [...HOSTILE_URLS, APP_ENTRY_URL, 'https://docs.example.com/a', 'https://portal.acme.test/']) {
      expect(handler({ url }), url).toEqual({ action: 'deny' });
    }
    expect(openExternal.mock.calls).toEqual([['https://docs.example.com/a'], ['https://portal.acme.test/']]);
  });

  it('a failing openExternal is logged, not thrown', async () => {
    const contents = new FakeWebContents();
    const warn = vi.fn();
    applyWebContentsSecurity(contents.asElectron(), {
      externalAllowlist: EXTERNAL_ALLOWLIST,
      openExternal: () => Promise.reject(new Error('no browser')),
      log: { warn },
    });
    expect(contents.windowOpenHandler!({ url: 'https://docs.example.com/' })).toEqual({ action: 'deny' });
    await vi.waitFor(() => expect(warn).toHaveBeenCalledWith('Opening a link in the system browser failed', expect.anything()));
  });

  it('prevents <webview> attachment', () => {
    const { contents } = guardedContents();
    const event = fakeEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });

  it('logs only the scheme and host of a refused URL', () => {
    const { contents, warn } = guardedContents();
    contents.emit('will-navigate', fakeEvent({ url: 'https://evil.com/steal?token=abc' }));
    expect(JSON.stringify(warn.mock.calls)).not.toContain('token=abc');
    expect(describeUrlForLog('https://evil.com/x?y')).toBe('https://evil.com');
    expect(describeUrlForLog('javascript:alert(1)')).toBe('javascript:');
    expect(describeUrlForLog(42)).toBe('(number)');
  });
});

const PERMISSIONS = ['media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'fullscreen', 'openExternal', 'hid', 'serial', 'usb', 'display-capture', 'pointerLock', 'midiSysex', 'fileSystem', 'unknown'];

describe('session security handlers', () => {
  function guardedSession() {
    const session = new FakeSession();
    applySessionSecurity(session.asElectron());
    return session;
  }

  it('denies every permission request', () => {
    const session = guardedSession();
    for (const permission of PERMISSIONS) {
      const callback = vi.fn();
      session.permissionRequestHandler!({}, permission, callback, { requestingUrl: APP_ENTRY_URL });
      expect(callback, permission).toHaveBeenCalledExactlyOnceWith(false);
    }
  });

  it('answers every permission check and device check with false, even for our own origin', () => {
    const session = guardedSession();
    for (const permission of PERMISSIONS) {
      expect(session.permissionCheckHandler!({}, permission, 'app://portal-admin', {}), permission).toBe(false);
    }
    expect(session.devicePermissionHandler!({ deviceType: 'usb', origin: 'app://portal-admin' })).toBe(false);
  });

  it('cancels every http(s)/ws(s) request the renderer makes', () => {
    const session = guardedSession();
    expect(session.beforeRequest!.filter.urls).toEqual(expect.arrayContaining(['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*']));
    const callback = vi.fn();
    session.beforeRequest!.listener({ url: 'https://portal.acme.test/api/v1/employees' }, callback);
    expect(callback).toHaveBeenCalledExactlyOnceWith({ cancel: true });
  });
});
