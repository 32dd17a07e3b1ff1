import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { PowerMonitor } from 'electron';
import type { Settings } from '../../../../common/ipc';
import { createEmitter } from '../../../../electron/main/infra/events';
import { createPrivacyShell, type ProtectedWindow } from '../../../../electron/main/shell/privacy';

const SETTINGS: Settings = { portalUrl: null, caFile: null, certificatePin: null, rememberMe: false, isDemoPortal: false, privacyMode: false, offlineCopyDays: 14 };

function setUp(initial: Partial<Settings> = {}) {
  let current: Settings = { ...SETTINGS, ...initial };
  const listeners = new Set<(settings: Settings, previous: Settings) => void>();
  const settings = {
    get: () => current,
    onChange(listener: (settings: Settings, previous: Settings) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    change(patch: Partial<Settings>) {
      const previous = current;
      current = { ...current, ...patch };
      for (const listener of listeners) listener(current, previous);
    },
    listenerCount: () => listeners.size,
  };
  const window = { setContentProtection: vi.fn<ProtectedWindow['setContentProtection']>(), isDestroyed: vi.fn(() => false) };
  const windows: ProtectedWindow[] = [];
  const powerMonitor = new EventEmitter();
  const emitter = createEmitter();
  const events: unknown[] = [];
  emitter.onEvent((event, payload) => events.push([event, payload]));
  const log = { warn: vi.fn() };
  const shell = createPrivacyShell({ settings, emitter, powerMonitor: powerMonitor as unknown as PowerMonitor, getWindows: () => windows, log });
  return { shell, settings, window, windows, powerMonitor, events, log };
}

describe('privacy mode in the Electron shell', () => {
  it('a new window gets the stored setting before it shows anything', () => {
    const on = setUp({ privacyMode: true });
    on.shell.protect(on.window);
    expect(on.window.setContentProtection).toHaveBeenCalledExactlyOnceWith(true);
    const off = setUp();
    off.shell.protect(off.window);
    expect(off.window.setContentProtection).toHaveBeenCalledExactlyOnceWith(false);
  });

  it('follows the setting on the live window, and only when privacy mode itself changed', () => {
    const { settings, window, windows } = setUp();
    windows.push(window);
    settings.change({ rememberMe: true });
    expect(window.setContentProtection).not.toHaveBeenCalled();
    settings.change({ privacyMode: true });
    settings.change({ privacyMode: false });
    expect(window.setContentProtection.mock.calls).toEqual([[true], [false]]);
  });

  it('leaves a closed window alone, and a failing call is logged rather than thrown', () => {
    const { shell, settings, window, windows, log } = setUp();
    windows.push(window);
    window.isDestroyed.mockReturnValue(true);
    settings.change({ privacyMode: true });
    expect(window.setContentProtection).not.toHaveBeenCalled();
    window.isDestroyed.mockReturnValue(false);
    window.setContentProtection.mockImplementation(() => {
      throw new Error('not supported');
    });
    expect(() => shell.protect(window)).not.toThrow();
    expect(log.warn).toHaveBeenCalledOnce();
  });

  it('a screen lock or sleep tells the page; after dispose nothing is heard any more', () => {
    const { shell, settings, powerMonitor, events } = setUp();
    powerMonitor.emit('lock-screen');
    powerMonitor.emit('suspend');
    powerMonitor.emit('unlock-screen');
    expect(events).toEqual([
      ['privacy:screen-locked', { reason: 'lock-screen' }],
      ['privacy:screen-locked', { reason: 'suspend' }],
    ]);
    shell.dispose();
    powerMonitor.emit('lock-screen');
    expect(events).toHaveLength(2);
    expect(powerMonitor.listenerCount('lock-screen') + powerMonitor.listenerCount('suspend')).toBe(0);
    expect(settings.listenerCount()).toBe(0);
  });
});
