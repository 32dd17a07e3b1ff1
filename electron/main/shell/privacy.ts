import type { BrowserWindow, PowerMonitor } from 'electron';
import type { Settings } from '../../../common/ipc';
import type { Logger } from '../log';
import type { ServiceEmitter } from '../infra/events';
import type { SettingsService } from '../services/settings';

export type ProtectedWindow = Pick<BrowserWindow, 'setContentProtection' | 'isDestroyed'>;

export interface PrivacyShellDependencies {
  settings: Pick<SettingsService, 'get' | 'onChange'>;
  emitter: Pick<ServiceEmitter, 'emit'>;
  powerMonitor: Pick<PowerMonitor, 'on' | 'off'>;
  /** The window(s) to protect now (the live main window, or none). */
  getWindows: () => readonly ProtectedWindow[];
  log: Pick<Logger, 'warn'>;
}

export interface PrivacyShell {
  /** A new window gets the current privacy mode before it shows anything. */
  protect(window: ProtectedWindow): void;
  dispose(): void;
}

/**
 * Privacy mode in the Electron shell:
 * - the window's content protection follows the setting: on Windows and macOS, screen capture and
 *   screen sharing show the window black (Linux has no such API: Electron ignores the call there);
 * - a screen lock or sleep tells the page to mask again every number shown on demand, whether
 *   privacy mode is on or not (the page decides; it costs nothing when no number is shown).
 */
export function createPrivacyShell(dependencies: PrivacyShellDependencies): PrivacyShell {
  const apply = (window: ProtectedWindow, settings: Settings) => {
    if (window.isDestroyed()) return;
    try {
      window.setContentProtection(settings.privacyMode);
    } catch (error) {
      dependencies.log.warn('privacy: the window\'s content protection could not be set', { error });
    }
  };
  const stopFollowingSettings = dependencies.settings.onChange((settings, previous) => {
    if (settings.privacyMode === previous.privacyMode) return;
    for (const window of dependencies.getWindows()) apply(window, settings);
  });
  const onLockScreen = () => dependencies.emitter.emit('privacy:screen-locked', { reason: 'lock-screen' });
  const onSuspend = () => dependencies.emitter.emit('privacy:screen-locked', { reason: 'suspend' });
  dependencies.powerMonitor.on('lock-screen', onLockScreen);
  dependencies.powerMonitor.on('suspend', onSuspend);
  return {
    protect: (window) => apply(window, dependencies.settings.get()),
    dispose() {
      stopFollowingSettings();
      dependencies.powerMonitor.off('lock-screen', onLockScreen);
      dependencies.powerMonitor.off('suspend', onSuspend);
    },
  };
}
