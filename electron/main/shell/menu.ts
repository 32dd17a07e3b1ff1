import type { MenuItemConstructorOptions } from 'electron';

/**
 * A minimal menu until the real one (issue 6). macOS needs an application and an Edit menu, or
 * Cmd+C / Cmd+V / Cmd+Q stop working in text fields; Windows and Linux get no menu bar at all.
 */
export function minimalMenuTemplate(platform: NodeJS.Platform): MenuItemConstructorOptions[] | null {
  if (platform !== 'darwin') return null;
  return [{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }];
}
