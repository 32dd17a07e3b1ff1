import type { BrowserWindowConstructorOptions } from 'electron';
import type { Bounds } from './window-state';

export interface WindowOptionsInput {
  /** Absolute path of the bundled, sandboxed preload (out/preload/index.cjs). */
  preloadPath: string;
  /** Restored size and position; the defaults are used when absent. */
  bounds?: Partial<Bounds>;
  /** DevTools in development only. */
  isDevToolsAllowed?: boolean;
}

export const DEFAULT_WINDOW_SIZE = { width: 1200, height: 800 } as const;
export const MINIMUM_WINDOW_SIZE = { width: 720, height: 520 } as const;

/**
 * The one BrowserWindow Portal Admin opens. Every security-relevant web preference is written
 * out even where it equals Electron's default, so a reader (and electronegativity) need not know
 * the defaults of this Electron version, and a changed default cannot weaken the window.
 */
export function createWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: 'Portal Admin',
    width: input.bounds?.width ?? DEFAULT_WINDOW_SIZE.width,
    height: input.bounds?.height ?? DEFAULT_WINDOW_SIZE.height,
    ...(input.bounds?.x !== undefined && input.bounds?.y !== undefined ? { x: input.bounds.x, y: input.bounds.y } : { center: true }),
    minWidth: MINIMUM_WINDOW_SIZE.width,
    minHeight: MINIMUM_WINDOW_SIZE.height,
    // Shown on 'ready-to-show', so the user never sees an empty white frame.
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      webSecurity: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      enableWebSQL: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // Middle-click opens links in new windows without 'new-window' checks in old Chromiums.
      disableBlinkFeatures: 'Auxclick',
      devTools: input.isDevToolsAllowed ?? false,
    },
  };
}
