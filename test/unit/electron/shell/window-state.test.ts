import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  fitBoundsToDisplays,
  loadWindowState,
  parseWindowState,
  saveWindowState,
  trackWindowState,
  type Bounds,
  type TrackedWindow,
} from '../../../../electron/main/shell/window-state';

const primary: Bounds = { x: 0, y: 0, width: 1920, height: 1040 };
const right: Bounds = { x: 1920, y: 0, width: 1280, height: 984 };

describe('window state', () => {
  const directory = mkdtempSync(join(tmpdir(), 'window-state-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('round-trips through the file', () => {
    const file = join(directory, 'nested', 'window-state.json');
    saveWindowState(file, { version: 1, bounds: { x: 100, y: 80, width: 1000, height: 700 }, isMaximized: true });
    expect(loadWindowState(file, [primary])).toEqual({ version: 1, bounds: { x: 100, y: 80, width: 1000, height: 700 }, isMaximized: true });
  });

  it.each([
    ['missing file', null],
    ['not JSON', '{"version":1,'],
    ['wrong version', JSON.stringify({ version: 2, bounds: { x: 0, y: 0, width: 800, height: 600 }, isMaximized: false })],
    ['tiny window', JSON.stringify({ version: 1, bounds: { x: 0, y: 0, width: 10, height: 10 }, isMaximized: false })],
    ['huge window', JSON.stringify({ version: 1, bounds: { x: 0, y: 0, width: 1e9, height: 600 }, isMaximized: false })],
    ['fractional', JSON.stringify({ version: 1, bounds: { x: 0.5, y: 0, width: 800, height: 600 }, isMaximized: false })],
    ['strings', JSON.stringify({ version: 1, bounds: { x: '0', y: 0, width: 800, height: 600 }, isMaximized: false })],
    ['no bounds', JSON.stringify({ version: 1, isMaximized: false })],
    ['null', 'null'],
  ])('falls back to defaults for %s', (_label, contents) => {
    const file = join(directory, `state-${Math.random()}.json`);
    if (contents !== null) writeFileSync(file, contents);
    expect(loadWindowState(file, [primary])).toBeNull();
  });

  it('keeps a window that is on a display where it is', () => {
    expect(fitBoundsToDisplays({ x: 2000, y: 100, width: 1000, height: 700 }, [primary, right])).toEqual({ x: 2000, y: 100, width: 1000, height: 700 });
  });

  it('centres a window whose display is gone on the primary display', () => {
    expect(fitBoundsToDisplays({ x: 5000, y: 100, width: 1000, height: 700 }, [primary])).toEqual({ x: 460, y: 170, width: 1000, height: 700 });
    expect(fitBoundsToDisplays({ x: 100, y: -3000, width: 800, height: 600 }, [primary])).toEqual({ x: 560, y: 220, width: 800, height: 600 });
  });

  it('pulls a window that hangs over an edge fully onto its display, and shrinks it to fit', () => {
    expect(fitBoundsToDisplays({ x: 1800, y: 900, width: 1000, height: 700 }, [primary])).toEqual({ x: 920, y: 340, width: 1000, height: 700 });
    expect(fitBoundsToDisplays({ x: 0, y: 0, width: 3000, height: 2000 }, [primary])).toEqual({ x: 0, y: 0, width: 1920, height: 1040 });
  });

  it('does not count a window whose title bar is off-screen as visible', () => {
    // Only the bottom of the window would be on screen: the user could not drag it.
    expect(fitBoundsToDisplays({ x: 100, y: -650, width: 800, height: 700 }, [primary]).y).toBeGreaterThanOrEqual(0);
  });

  it('saves the normal bounds when the window closes, unless minimised', () => {
    const file = join(directory, 'tracked.json');
    let onClose: () => void = () => undefined;
    let isMinimized = false;
    const window: TrackedWindow = {
      getNormalBounds: () => ({ x: 10, y: 20, width: 900, height: 650 }),
      isMaximized: () => false,
      isMinimized: () => isMinimized,
      isFullScreen: () => false,
      on: (_event, listener) => {
        onClose = listener;
      },
    };
    trackWindowState(window, file);
    onClose();
    expect(parseWindowState(readFileSync(file, 'utf8'))).toEqual({ version: 1, bounds: { x: 10, y: 20, width: 900, height: 650 }, isMaximized: false });
    isMinimized = true;
    window.getNormalBounds = () => ({ x: -32000, y: -32000, width: 200, height: 200 });
    onClose();
    expect(parseWindowState(readFileSync(file, 'utf8'))?.bounds.x).toBe(10);
  });
});
