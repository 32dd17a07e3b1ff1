import { describe, expect, it } from 'vitest';
import { createWindowOptions, MINIMUM_WINDOW_SIZE } from '../../../../electron/main/shell/window-options';

describe('window options', () => {
  const options = createWindowOptions({ preloadPath: '/app/out/preload/index.cjs' });

  it('sets every security-relevant web preference explicitly', () => {
    expect(options.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
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
      disableBlinkFeatures: 'Auxclick',
      devTools: false,
    });
  });

  it('sets nothing that loosens the sandbox', () => {
    const preferences = options.webPreferences as Record<string, unknown>;
    for (const risky of ['enableBlinkFeatures', 'additionalArguments', 'partition', 'session', 'enableRemoteModule', 'plugins']) {
      expect(preferences, risky).not.toHaveProperty(risky);
    }
  });

  it('waits for ready-to-show and keeps a usable minimum size', () => {
    expect(options.show).toBe(false);
    expect(options.minWidth).toBe(MINIMUM_WINDOW_SIZE.width);
    expect(options.minHeight).toBe(MINIMUM_WINDOW_SIZE.height);
    expect(options.center).toBe(true);
  });

  it('uses restored bounds, and DevTools only when allowed', () => {
    const restored = createWindowOptions({ preloadPath: '/p.cjs', bounds: { x: 10, y: 20, width: 900, height: 700 }, isDevToolsAllowed: true });
    expect(restored).toMatchObject({ x: 10, y: 20, width: 900, height: 700 });
    expect(restored.center).toBeUndefined();
    expect(restored.webPreferences?.devTools).toBe(true);
    expect(restored.webPreferences?.sandbox).toBe(true);
  });
});
