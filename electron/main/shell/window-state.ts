import { mkdirSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Remembers the window's size and position in `<userData>/window-state.json`. The file is
 * validated on load (a hand-edited or truncated file gives the defaults, never a crash) and the
 * bounds are clamped onto a display that exists now: a window saved on a monitor that has since
 * been unplugged must not open off-screen.
 */

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  version: 1;
  bounds: Bounds;
  isMaximized: boolean;
}

export const WINDOW_STATE_FILE_NAME = 'window-state.json';

/** Bounds smaller than this are not a real window size; larger than this are not a real screen. */
const MIN_SIDE = 200;
const MAX_SIDE = 100_000;
/** How much of the window's title bar must be on a display for it to count as visible. */
const MIN_VISIBLE = 64;

function isCoordinate(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= MAX_SIDE;
}
function isSide(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= MIN_SIDE && value <= MAX_SIDE;
}

/** Parses a saved state; null when it is not exactly what we write. */
export function parseWindowState(text: string): WindowState | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const record = data as Record<string, unknown>;
  if (record.version !== 1 || typeof record.isMaximized !== 'boolean') return null;
  const bounds = record.bounds as Record<string, unknown> | null | undefined;
  if (typeof bounds !== 'object' || bounds === null) return null;
  if (!isCoordinate(bounds.x) || !isCoordinate(bounds.y) || !isSide(bounds.width) || !isSide(bounds.height)) return null;
  return { version: 1, bounds: { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height }, isMaximized: record.isMaximized };
}

function overlap(a: Bounds, b: Bounds): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * Fits saved bounds onto the displays' work areas: the size is capped at the work area it lands
 * on, and the window is moved fully inside it. A window that is on no display any more is centred
 * on the primary (first) work area. With no work areas at all, the bounds are kept as they are.
 */
export function fitBoundsToDisplays(bounds: Bounds, workAreas: readonly Bounds[]): Bounds {
  if (workAreas.length === 0) return bounds;
  // The work area showing the largest part of the window's top strip (where the title bar is).
  const titleStrip = { x: bounds.x, y: bounds.y, width: bounds.width, height: Math.min(bounds.height, MIN_VISIBLE) };
  let best: Bounds | null = null;
  let bestArea = 0;
  for (const area of workAreas) {
    const common = overlap(titleStrip, area);
    const visible = common.width >= MIN_VISIBLE && common.height > 0 ? common.width * common.height : 0;
    if (visible > bestArea) {
      best = area;
      bestArea = visible;
    }
  }
  const target = best ?? workAreas[0]!;
  const width = Math.min(bounds.width, target.width);
  const height = Math.min(bounds.height, target.height);
  if (!best) {
    return {
      x: target.x + Math.floor((target.width - width) / 2),
      y: target.y + Math.floor((target.height - height) / 2),
      width,
      height,
    };
  }
  return {
    x: Math.min(Math.max(bounds.x, target.x), target.x + target.width - width),
    y: Math.min(Math.max(bounds.y, target.y), target.y + target.height - height),
    width,
    height,
  };
}

/** The saved state fitted onto today's displays, or null (first run, unreadable or invalid file). */
export function loadWindowState(file: string, workAreas: readonly Bounds[]): WindowState | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const state = parseWindowState(text);
  if (!state) return null;
  return { ...state, bounds: fitBoundsToDisplays(state.bounds, workAreas) };
}

/** Temp file, fsync, rename: a crash mid-write leaves the old state, never half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  if (!parseWindowState(JSON.stringify(state))) return; // never persist what we would refuse to load
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    const descriptor = openSync(temporary, 'r+');
    try {
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temporary, file);
  } catch {
    // Losing the window position is not worth an error dialog.
    rmSync(temporary, { force: true });
  }
}

/** What `trackWindowState` needs of a BrowserWindow. */
export interface TrackedWindow {
  getNormalBounds(): Bounds;
  isMaximized(): boolean;
  isMinimized(): boolean;
  isFullScreen(): boolean;
  on(event: 'close', listener: () => void): unknown;
}

/** Saves the window's normal (un-maximised) bounds when it closes. */
export function trackWindowState(window: TrackedWindow, file: string): void {
  window.on('close', () => {
    if (window.isMinimized() || window.isFullScreen()) {
      // getNormalBounds is unreliable in these states on some platforms; keep the last good save.
      return;
    }
    saveWindowState(file, { version: 1, bounds: window.getNormalBounds(), isMaximized: window.isMaximized() });
  });
}
