/**
 * The floor of bench:startup: what the same Chromium, flags, CPU throttling, page server and origin
 * take to paint pages that do less than the app's index.html, so the sign-in page's figure can be read
 * against what is reachable on this machine at all:
 * - *text*: a trivial page (`<p>x</p>`): navigation, the commit and one frame;
 * - *markup*: index.html with no stylesheet and no script, the prerendered sign-in markup alone;
 * - *styled*: index.html without its script (the markup and its stylesheets, the inline theme included).
 * The pages are written beside a copy of the renderer build, which the page server then serves as it
 * serves the app (same headers, same origin).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FLOOR_PAGES = {
  text: 'floor-text.html',
  markup: 'floor-markup.html',
  styled: 'floor-styled.html',
} as const;
export type FloorPage = keyof typeof FLOOR_PAGES;

const withoutScripts = (html: string): string => html.replace(/<script\b[^>]*>[\s\S]*?<\/script>\s*/g, '');
const withoutStylesheets = (html: string): string => html.replace(/<link rel="stylesheet"[^>]*>\s*/g, '').replace(/<style\b[^>]*>[\s\S]*?<\/style>\s*/g, '');

/** The floor pages made from a build's index.html. */
export function floorPages(indexHtml: string): Record<FloorPage, string> {
  const styled = withoutScripts(indexHtml);
  if (!styled.includes('type="email"')) throw new Error('index.html holds no prerendered sign-in form: no floor to compare with');
  return {
    text: '<!doctype html>\n<html lang="en"><head><meta charset="UTF-8"><title>x</title></head><body><p>x</p></body></html>\n',
    markup: withoutStylesheets(styled),
    styled,
  };
}

/** A copy of the renderer build with the floor pages beside index.html; remove() deletes it. */
export function rendererWithFloorPages(rendererDir: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'portal-admin-startup-floor-'));
  cpSync(rendererDir, dir, { recursive: true });
  for (const [page, html] of Object.entries(floorPages(readFileSync(join(rendererDir, 'index.html'), 'utf8')))) {
    writeFileSync(join(dir, FLOOR_PAGES[page as FloorPage]), html);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Installed after the bench's form watcher: once the first contentful paint is in and the page has
 * loaded, and its form (if it has one) is painted, logs FLOOR_MESSAGE, which the bench waits for.
 */
export const FLOOR_MESSAGE = 'portal-admin:bench:startup-floor-painted';
export const WATCH_FOR_FLOOR = `(() => {
  const done = () => {
    const hasForm = document.querySelector('#app input[type="email"]') !== null;
    if (document.readyState === 'complete' && (!hasForm || window.__startup.painted >= 0)) console.debug(${JSON.stringify(FLOOR_MESSAGE)});
    else setTimeout(done, 20);
  };
  new PerformanceObserver((list, observer) => {
    if (list.getEntriesByName('first-contentful-paint').length === 0) return;
    observer.disconnect();
    done();
  }).observe({ type: 'paint', buffered: true });
})();`;
