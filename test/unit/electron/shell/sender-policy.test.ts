import { describe, expect, it } from 'vitest';
import type { Sender } from '../../../../electron/main/ipc/gate';
import { isTrustedElectronSender } from '../../../../electron/main/shell/sender-policy';

const WINDOW_ID = 7;
const trusted: Sender = { transport: 'electron', frameUrl: 'app://portal-admin/index.html', isMainFrame: true, webContentsId: WINDOW_ID };

describe('sender policy', () => {
  it('trusts the top frame of our window on our app origin', () => {
    expect(isTrustedElectronSender(trusted, WINDOW_ID)).toBe(true);
    expect(isTrustedElectronSender({ ...trusted, frameUrl: 'app://portal-admin/index.html#/employees' }, WINDOW_ID)).toBe(true);
  });

  it('rejects subframes', () => {
    expect(isTrustedElectronSender({ ...trusted, isMainFrame: false }, WINDOW_ID)).toBe(false);
  });

  it('rejects other windows, and everything while no window exists', () => {
    expect(isTrustedElectronSender({ ...trusted, webContentsId: WINDOW_ID + 1 }, WINDOW_ID)).toBe(false);
    expect(isTrustedElectronSender(trusted, null)).toBe(false);
  });

  it.each([
    '',
    'about:blank',
    'https://evil.com/',
    'app://evil/index.html',
    'app://portal-admin.evil/index.html',
    'app://portal-admin@evil/index.html',
    'file:///app/out/renderer/index.html',
    'http://127.0.0.1:5173/',
    'devtools://devtools/bundled/inspector.html',
  ])('rejects the top frame of our window when it shows %j', (frameUrl) => {
    expect(isTrustedElectronSender({ ...trusted, frameUrl }, WINDOW_ID)).toBe(false);
  });

  it('rejects WebSocket senders, authenticated or not (browser mode has its own policy)', () => {
    expect(isTrustedElectronSender({ transport: 'websocket', origin: 'app://portal-admin', authenticated: true }, WINDOW_ID)).toBe(false);
  });
});
