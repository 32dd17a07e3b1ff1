/**
 * npm run bench:grid — the Manage Employees grid with 100,000 employees, in Chromium.
 *
 * A reference portal seeded with demo:100000 (HTTPS, port 0, temporary folder), the browser-mode
 * host with the real services (temporary profile), and Debian's Chromium driven by Playwright.
 * After signing in through the UI it measures, in the page:
 *   - initial render: click on "Manage Employees" → first rows painted (and the full load), the long
 *     tasks before the first rows and while the remaining pages arrive, and the main thread's CPU time;
 *   - filter keystroke → painted: keydown → the frame after the grid updated (p50/p95/max), plus
 *     the Event Timing API's duration of each keystroke, over real typing, and CPU time per key;
 *   - the longest task while typing (PerformanceObserver 'longtask': tasks ≥ 50 ms);
 *   - sort: header click → re-sorted rows painted, per column;
 *   - scroll: frame times while scrolling 200 px per frame (12,000 px/s) through the list, and
 *     frames with blank rows; then the fast sweep, 640 px per frame; for each, the main thread's
 *     time per frame in script, style recalculation and layout (Chrome DevTools Protocol,
 *     Performance domain), which a busy machine distorts less than the frame times;
 *   - JS heap after garbage collection, before the grid opens and with all rows loaded;
 *   - reopen: Home, then Manage Employees again after changes, additions and deletions on the portal
 *     (click → first rows, → all rows with the delta applied), and the first opening after a restart
 *     of the host with an offline copy (BENCH_GRID_REOPEN_ONLY=1 measures only the openings).
 * Prints a table and writes bench/results/grid.json. Figures, never pass/fail (see bench/README.md).
 * BENCH_GRID_RENDERER_DIR: measure another renderer build (e.g. one of main, for a before/after run).
 * BENCH_GRID_QUICK=1: only the openings and the typing. BENCH_GRID_TRACE=folder: Chromium traces of both.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { startTestBrowserMode } from '../test/support/browser-mode';
import { signIn } from './support/sign-in';
import { portalRequest, startTestPortal, tokenFor, type TestPortal } from '../test/support/portal';
import { searchTextOf } from '../server/employees/serialize';

const EMPLOYEES = Number(process.env.BENCH_GRID_EMPLOYEES ?? 100_000);
const QUERIES = ['smith', 'maria', 'ahmed@', '+44 20', '7946', 'zzq nobody'];
const TYPING_DELAY_MS = 120;
const SCROLL_FRAMES = 240;
const SCROLL_PX_PER_FRAME = 200;
/** Changes made on the portal between openings: this many numbers changed, employees deleted and added. */
const REOPEN_CHANGES = 20;
const FAST_SCROLL_PX_PER_FRAME = 640;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/*
 * The page side, as plain JavaScript (this file is type-checked without the DOM library).
 * window.__bench collects keystroke latencies, long tasks and event timings from the start.
 */
const PROBE = String.raw`
(() => {
  const bench = { keys: [], longTasks: [], events: [], typingFrom: null, typingTo: null };
  window.__bench = bench;
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.name === 'keydown' || entry.name === 'keypress' || entry.name === 'input') {
          bench.events.push({ name: entry.name, start: entry.startTime, duration: entry.duration, interactionId: entry.interactionId });
        }
      }
    }).observe({ type: 'event', durationThreshold: 16, buffered: true });
  } catch {}
  const afterPaint = (callback) => requestAnimationFrame(() => { const channel = new MessageChannel(); channel.port1.onmessage = callback; channel.port2.postMessage(null); });
  // keydown → the input event it causes → the frame after it. Keys that change no text (Control,
  // Ctrl+A) are not keystrokes of the search and are not counted.
  let pending = null;
  document.addEventListener('keydown', (event) => {
    const target = event.target;
    if (!(target instanceof HTMLInputElement) || target.type !== 'search') return;
    pending = event.ctrlKey || event.metaKey || event.altKey || event.key.length > 1 && event.key !== 'Backspace' && event.key !== 'Delete' ? null : { key: event.key, started: event.timeStamp };
  }, true);
  document.addEventListener('input', (event) => {
    if (!(event.target instanceof HTMLInputElement) || event.target.type !== 'search' || pending === null) return;
    const { key, started } = pending;
    pending = null;
    // The grid re-renders in the same task as the input event (Vue flushes in a microtask);
    // the frame after the next animation frame is the one that shows it.
    afterPaint(() => bench.keys.push({ key, ms: performance.now() - started }));
  }, true);
  bench.afterPaint = () => new Promise((resolve) => afterPaint(() => resolve(performance.now())));
  bench.waitFor = (check, timeoutMs = 60000) => new Promise((resolve, reject) => {
    const started = performance.now();
    const poll = () => {
      let value;
      try { value = check(); } catch { value = null; }
      if (value) return afterPaint(() => resolve(performance.now()));
      if (performance.now() - started > timeoutMs) {
        const rows = document.querySelectorAll('.grid__body [role="row"]').length;
        const status = document.querySelector('[data-testid="employee-count"]')?.textContent;
        return reject(new Error('timed out waiting for ' + check.toString() + ' (rows: ' + rows + ', count: ' + status + ', loading: ' + document.querySelector('[data-testid="employees-loading"]')?.textContent + ')'));
      }
      requestAnimationFrame(poll);
    };
    poll();
  });
  // Browser mode's bridge: when the window asks main for the list's first page, and when the answer
  // arrives (the event's own time, whenever the page gets to it). The first of each per opening.
  bench.firstPage = { askedAt: null, answeredAt: null };
  // Called as the Admin menu is opened: the first opening asks for the list then, before an item is clicked.
  bench.menuOpening = () => { bench.firstPage = { askedAt: null, answeredAt: null }; bench.menuOpenedAt = performance.now(); };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (bench.firstPage.askedAt === null && typeof data === 'string' && data.includes('"channel":"employees:list"') && !data.includes('"cursor"')) {
      bench.firstPage.askedAt = performance.now();
      const id = JSON.parse(data).id;
      const asked = bench.firstPage;
      const onAnswer = (event) => {
        if (typeof event.data !== 'string' || !event.data.slice(0, 80).includes('"id":' + JSON.stringify(id))) return;
        asked.answeredAt = event.timeStamp;
        this.removeEventListener('message', onAnswer);
      };
      this.addEventListener('message', onAnswer);
    }
    return send.call(this, data);
  };
  bench.grid = () => document.querySelector('[role="grid"][aria-label="Employees"]');
  bench.firstRowText = () => bench.grid()?.querySelector('.grid__body [role="row"]')?.textContent ?? '';
  bench.openGrid = async () => {
    const item = [...document.querySelectorAll('[role="menuitem"]')].find((node) => node.textContent.trim() === 'Manage Employees');
    const wasBuilt = Boolean(bench.grid());
    const started = performance.now();
    item.click();
    const firstRows = await bench.waitFor(() => bench.grid()?.querySelector('.grid__body [role="row"][aria-rowindex="2"]'));
    // All rows: no load in progress and no delta pending ("Updating…" gone after a reopen).
    const loaded = await bench.waitFor(() => !document.querySelector('[data-testid="employees-loading"]') && !document.querySelector('[data-testid="employees-updating"]') && bench.grid()?.getAttribute('aria-busy') === 'false', 300000);
    const { askedAt, answeredAt } = bench.firstPage;
    const firstPage = askedAt === null || answeredAt === null ? null : { askedMs: askedAt - started, answeredMs: answeredAt - started };
    return { initialRenderMs: firstRows - started, fullLoadMs: loaded - started, clickedAt: started, firstRowsAt: firstRows, loadedAt: loaded, firstPage, menuOpenMs: started - bench.menuOpenedAt, wasBuilt, count: document.querySelector('[data-testid="employee-count"]')?.textContent.trim() };
  };
  bench.sortBy = async (label) => {
    const header = [...bench.grid().querySelectorAll('[role="columnheader"]')].find((node) => node.textContent.trim() === label);
    const wanted = header.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
    const started = performance.now();
    header.querySelector('button').click();
    // aria-sort changes in the click's own task; a sort that runs in slices sets aria-busy in that
    // task too, until its rows are in.
    const done = await bench.waitFor(() => header.getAttribute('aria-sort') === wanted && bench.grid().getAttribute('aria-busy') === 'false');
    return done - started;
  };
  bench.scroll = async (frames, step) => {
    const grid = bench.grid();
    const rowHeight = 44;
    const headerHeight = 44;
    const times = [];
    let blankFrames = 0;
    let blankRows = 0;
    grid.scrollTop = 0;
    await bench.afterPaint();
    let last = null;
    await new Promise((resolve) => {
      let frame = 0;
      const tick = (now) => {
        if (last !== null) times.push(now - last);
        last = now;
        if (frame > 0) {
          // The rows the viewport shows now must all be in the DOM (the scroll of the previous frame was rendered).
          const first = Math.floor(grid.scrollTop / rowHeight);
          const lastRow = Math.min(Number(grid.getAttribute('aria-rowcount')) - 2, Math.floor((grid.scrollTop + grid.clientHeight - headerHeight - 1) / rowHeight));
          const present = new Set([...grid.querySelectorAll('.grid__body [role="row"]')].map((row) => Number(row.getAttribute('aria-rowindex')) - 2));
          let missing = 0;
          for (let index = first; index <= lastRow; index++) if (!present.has(index)) missing++;
          if (missing > 0) { blankFrames++; blankRows += missing; }
        }
        if (frame++ >= frames) return resolve();
        grid.scrollTop += step;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    return { times, blankFrames, blankRows, endScrollTop: grid.scrollTop };
  };
})();
`;

interface KeyTiming {
  key: string;
  ms: number;
}
interface TaskTiming {
  start: number;
  duration: number;
}
interface EventTiming {
  name: string;
  start: number;
  duration: number;
  interactionId: number;
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;
const perFrameText = (ms: { script: number; style: number; layout: number }): string => `${ms.script} / ${ms.style} / ${ms.layout} ms`;

async function heapMb(page: Page): Promise<number> {
  const session = await page.context().newCDPSession(page);
  await session.send('HeapProfiler.collectGarbage');
  const usage = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
  await session.detach();
  return round(usage.usedSize / 1024 / 1024);
}

type Opening = {
  initialRenderMs: number;
  fullLoadMs: number;
  clickedAt: number;
  firstRowsAt: number;
  loadedAt: number;
  /** Browser mode's bridge: click → the portal's first page asked for, and → its answer arrived (null: not asked, e.g. a reopen; below 0: asked as the menu opened). */
  firstPage: { askedMs: number; answeredMs: number } | null;
  /** The Admin menu opened → the click on Manage Employees. */
  menuOpenMs: number;
  /** The view was already built (hidden) when the item was clicked. */
  wasBuilt: boolean;
  count: string;
};

/** Home, then Admin → Manage Employees: the grid opens again. */
async function openAgain(page: Page): Promise<Opening> {
  await page.getByRole('tab', { name: 'Home' }).click();
  // The view is taken down on leaving (and may be built again, hidden, in the next idle period).
  await page.waitForFunction('!window.__bench.grid()?.checkVisibility()');
  return openFromMenu(page);
}

async function openFromMenu(page: Page): Promise<Opening> {
  await page.evaluate('window.__bench.menuOpening()');
  await page.getByRole('tab', { name: 'Admin' }).click();
  await page.getByRole('menuitem', { name: 'Manage Employees' }).waitFor();
  return (await page.evaluate('window.__bench.openGrid()')) as Opening;
}

/**
 * An opening with the CPU time it took (which a busy machine inflates far less than wall time): the
 * page's main thread (CDP Performance domain, ThreadTime) and this Node process (the host's services,
 * the offline copy's worker thread and the portal all run in it).
 */
async function withCpu(page: Page, open: () => Promise<Opening>): Promise<Opening & { cpuMs: { renderer: number; node: number } }> {
  const nodeBefore = process.cpuUsage();
  const { result: opening, ms } = await mainThreadTime(page, open);
  const node = process.cpuUsage(nodeBefore);
  return { ...opening, cpuMs: { renderer: round(ms.thread), node: round((node.user + node.system) / 1000) } };
}

const cpuText = (opening: { cpuMs: { renderer: number; node: number } }): string => `CPU: page ${opening.cpuMs.renderer} ms, host and portal ${opening.cpuMs.node} ms`;

/** An opening's long tasks (≥ 50 ms, longest first): the click to the first rows (with the click's own task), and while the remaining rows arrive. */
async function longTasksOf(page: Page, opening: Opening): Promise<{ beforeFirstRows: number[]; whilePagesArrive: number[] }> {
  const tasks = (await page.evaluate('window.__bench.longTasks')) as TaskTiming[];
  const durations = (keep: (task: TaskTiming) => boolean): number[] => tasks.filter(keep).map((task) => round(task.duration)).sort((a, b) => b - a);
  return {
    beforeFirstRows: durations((task) => task.start + task.duration > opening.clickedAt && task.start < opening.firstRowsAt),
    whilePagesArrive: durations((task) => task.start >= opening.firstRowsAt && task.start < opening.loadedAt),
  };
}

const openingTasksText = (tasks: { beforeFirstRows: number[]; whilePagesArrive: number[] }): string =>
  `long tasks: before the first rows ${tasks.beforeFirstRows.join(', ') || 'none'}, while the rows arrive ${tasks.whilePagesArrive.join(', ') || 'none'}`;

/** Numbers changed, employees deleted (the API) and added (the database, as the portal's HR import would). */
async function changePortal(portal: TestPortal, round: number): Promise<void> {
  const token = tokenFor(portal, 'admin@acme.test');
  const rows = await portal.store.all<{ id: string; version: number }>(
    "SELECT id, version FROM employees WHERE company_id = 'acme' AND id > 'acme-0010' ORDER BY id LIMIT ? OFFSET ?",
    REOPEN_CHANGES * 2,
    round * REOPEN_CHANGES * 2,
  );
  for (const [index, row] of rows.slice(0, REOPEN_CHANGES).entries()) {
    const response = await portalRequest(portal, 'PATCH', `/api/v1/employees/${row.id}`, {
      token,
      body: { cellPhone: `+1212555${String(1000 + round * 100 + index)}` },
      headers: { 'if-match': `"${row.version}"`, 'idempotency-key': randomUUID() },
    });
    if (response.status !== 200) throw new Error(`PATCH ${row.id}: ${response.status}`);
  }
  for (const row of rows.slice(REOPEN_CHANGES)) {
    const response = await portalRequest(portal, 'DELETE', `/api/v1/employees/${row.id}`, { token });
    if (response.status !== 204) throw new Error(`DELETE ${row.id}: ${response.status}`);
  }
  const now = portal.app.clock.now().toISOString();
  for (let index = 0; index < REOPEN_CHANGES; index++) {
    const added = { id: `acme-added-${round}-${index}`, firstName: 'Ada', lastName: `Added${round}x${index}`, email: `added.${round}.${index}@acme.test`, cellPhone: null };
    await portal.store.run(
      `INSERT INTO employees (id, company_id, first_name, last_name, email, role, cell_phone, two_factor_status, two_factor_method, locked, updated_at, version, search_text)
       VALUES (?, 'acme', ?, ?, ?, 'sales', NULL, 'not_enrolled', NULL, 0, ?, 1, ?)`,
      added.id, added.firstName, added.lastName, added.email, now, searchTextOf(added),
    );
  }
}

interface ScrollSweep {
  times: number[];
  blankFrames: number;
  blankRows: number;
  endScrollTop: number;
}

interface MainThreadMs {
  script: number;
  style: number;
  layout: number;
  tasks: number;
  thread: number;
}

/**
 * The renderer main thread's time (ms) in script, style recalculation, layout, tasks and CPU
 * (ThreadTime) while `run` runs, from the Performance domain's counters, divided by `per(result)`.
 */
async function mainThreadTime<T>(page: Page, run: () => Promise<T>, per: (result: T) => number = () => 1): Promise<{ result: T; ms: MainThreadMs }> {
  const session = await page.context().newCDPSession(page);
  await session.send('Performance.enable');
  const metrics = async () =>
    new Map(((await session.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.map((metric) => [metric.name, metric.value]));
  const before = await metrics();
  const result = await run();
  const after = await metrics();
  await session.detach();
  const each = (name: string) => round((((after.get(name) ?? 0) - (before.get(name) ?? 0)) * 1000) / Math.max(1, per(result)), 2);
  return { result, ms: { script: each('ScriptDuration'), style: each('RecalcStyleDuration'), layout: each('LayoutDuration'), tasks: each('TaskDuration'), thread: each('ThreadTime') } };
}

function divided(ms: MainThreadMs, by: number): MainThreadMs {
  const each = (value: number) => round(value / Math.max(1, by), 2);
  return { script: each(ms.script), style: each(ms.style), layout: each(ms.layout), tasks: each(ms.tasks), thread: each(ms.thread) };
}

/** Chromium's trace categories for BENCH_GRID_TRACE: DevTools' timeline plus the JavaScript sampling profiler. */
const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'v8.execute',
  'disabled-by-default-v8.cpu_profiler',
  'blink.user_timing',
  'toplevel',
  'latencyInfo',
];

/** BENCH_GRID_TRACE=folder: a Chromium trace of `run` in folder/name.json (for DevTools' Performance panel). Tracing slows the page. */
async function traced<T>(browser: Browser, page: Page, name: string, run: () => Promise<T>): Promise<T> {
  const folder = process.env.BENCH_GRID_TRACE;
  if (!folder) return run();
  mkdirSync(folder, { recursive: true });
  await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  try {
    return await run();
  } finally {
    writeFileSync(join(folder, `${name}.json`), await browser.stopTracing());
  }
}

/** Main-thread time per frame (ms) in the Performance domain's counters, over one sweep. */
async function sweep(page: Page, pxPerFrame: number) {
  const { result: scroll, ms: perFrameMs } = await mainThreadTime(
    page,
    async () => (await page.evaluate(`window.__bench.scroll(${SCROLL_FRAMES}, ${pxPerFrame})`)) as ScrollSweep,
    (done) => done.times.length,
  );
  return {
    frames: scroll.times.length,
    pxPerFrame,
    p50Ms: round(percentile(scroll.times, 50)),
    p95Ms: round(percentile(scroll.times, 95)),
    maxMs: round(Math.max(...scroll.times)),
    blankFrames: scroll.blankFrames,
    blankRows: scroll.blankRows,
    scrolledPx: scroll.endScrollTop,
    perFrameMs,
  };
}

async function main(): Promise<void> {
  console.log(`Seeding a demo portal with ${EMPLOYEES.toLocaleString('en-US')} employees…`);
  const seedStarted = performance.now();
  const portal = await startTestPortal({ seed: `demo:${EMPLOYEES}` });
  const seedSeconds = round((performance.now() - seedStarted) / 1000);
  // BENCH_GRID_RENDERER_DIR: another renderer build (before/after runs); by default this checkout's.
  const otherRenderer = process.env.BENCH_GRID_RENDERER_DIR;
  const web = await startTestBrowserMode(portal, otherRenderer ? { rendererDir: resolve(otherRenderer) } : {});
  const browser = await chromium.launch({
    executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.addInitScript({ content: PROBE });
    // Measuring the openings only: with the offline copy, for the opening after a restart.
    await signIn(page, portal, web, Boolean(process.env.BENCH_GRID_REOPEN_ONLY));
    const signedInAt = (await page.evaluate('performance.now()')) as number;
    const heapBeforeMb = await heapMb(page);

    const now = async (): Promise<number> => (await page.evaluate('performance.now()')) as number;
    const phases: { name: string; from: number; to: number }[] = [];
    const openFrom = await now();
    await page.evaluate('window.__bench.menuOpening()');
    await page.getByRole('tab', { name: 'Admin' }).click();
    await page.getByRole('menuitem', { name: 'Manage Employees' }).waitFor();
    const { result: open, ms: openCpu } = await traced(browser, page, 'open', () =>
      mainThreadTime(page, async () => (await page.evaluate('window.__bench.openGrid()')) as Opening),
    );
    phases.push({ name: 'open and load', from: openFrom, to: await now() });
    const heapLoadedMb = await heapMb(page);

    // Reopen in the session, after changes on the portal.
    await changePortal(portal, 0);
    const reopenFrom = await now();
    const reopen = await traced(browser, page, 'reopen', () => withCpu(page, () => openAgain(page)));
    phases.push({ name: 'reopen', from: reopenFrom, to: await now() });
    console.log(`first open: first rows ${round(open.initialRenderMs)} ms, all ${round(open.fullLoadMs)} ms (${open.count}); reopen: first rows ${round(reopen.initialRenderMs)} ms, all ${round(reopen.fullLoadMs)} ms (${reopen.count}; ${cpuText(reopen)})`);
    if (process.env.BENCH_GRID_REOPEN_ONLY) {
      const openLongTasks = await longTasksOf(page, open);
      const reopenLongTasks = await longTasksOf(page, reopen);
      console.log(`first open: ${openingTasksText(openLongTasks)}; reopen: ${openingTasksText(reopenLongTasks)}`);
      // The first opening after a restart, from the offline copy (needs the OS keychain: scripts/with-keyring.sh).
      await page.waitForTimeout(1500); // the offline copy is written
      await page.close();
      await web.host.close();
      const restarted = await startTestBrowserMode(portal, { profileDir: web.profileDir, ...(otherRenderer ? { rendererDir: resolve(otherRenderer) } : {}) });
      await changePortal(portal, 1);
      const afterRestartPage = await context.newPage();
      await afterRestartPage.addInitScript({ content: PROBE });
      await signIn(afterRestartPage, portal, restarted, true);
      const afterRestart = await traced(browser, afterRestartPage, 'restart', () => withCpu(afterRestartPage, () => openFromMenu(afterRestartPage)));
      const afterRestartLongTasks = await longTasksOf(afterRestartPage, afterRestart);
      console.log(`after a restart: first rows ${round(afterRestart.initialRenderMs)} ms, all ${round(afterRestart.fullLoadMs)} ms (${afterRestart.count}; ${cpuText(afterRestart)}); ${openingTasksText(afterRestartLongTasks)}; load average ${loadavg().map((value) => round(value, 2)).join(' ')}`);
      const out = join(root, 'bench', 'results', 'grid-reopen.json');
      mkdirSync(dirname(out), { recursive: true });
      const longTasksMs = { open: openLongTasks, reopen: reopenLongTasks, afterRestart: afterRestartLongTasks };
      writeFileSync(out, `${JSON.stringify({ employees: EMPLOYEES, open, reopen, afterRestart, longTasksMs }, null, 2)}\n`);
      await restarted.close();
      return;
    }

    // Typing: each query typed key by key, then cleared with Ctrl+A, Backspace.
    const search = page.getByRole('searchbox', { name: 'Search employees' });
    await search.click();
    const typingFrom = (await page.evaluate('performance.now()')) as number;
    const { ms: typingCpu } = await traced(browser, page, 'typing', () =>
      mainThreadTime(page, async () => {
        for (const query of QUERIES) {
          await page.keyboard.type(query, { delay: TYPING_DELAY_MS });
          await page.waitForTimeout(200);
          await page.keyboard.press('ControlOrMeta+a');
          await page.keyboard.press('Backspace');
          await page.waitForTimeout(200);
        }
      }),
    );
    const typingTo = (await page.evaluate('performance.now()')) as number;
    phases.push({ name: 'typing', from: typingFrom, to: typingTo });
    const keys = (await page.evaluate('window.__bench.keys')) as KeyTiming[];
    const longTasks = ((await page.evaluate('window.__bench.longTasks')) as TaskTiming[]).filter(
      (task) => task.start >= typingFrom && task.start <= typingTo,
    );
    const events = ((await page.evaluate('window.__bench.events')) as EventTiming[]).filter(
      (entry) => entry.start >= typingFrom && entry.start <= typingTo && entry.name === 'keydown',
    );
    const keyMs = keys.map((entry) => entry.ms);
    console.log(`initial render ${round(open.initialRenderMs)} ms, load ${round(open.fullLoadMs)} ms; ${keyMs.length} keys, p95 ${round(percentile(keyMs, 95))} ms`);
    if (process.env.BENCH_GRID_VERBOSE) console.log(keys.map((entry) => `${entry.key}:${round(entry.ms)}`).join(' '));

    // Sorting: every column once (ascending), and Name back.
    const sorts: Record<string, number> = {};
    let scroll: Awaited<ReturnType<typeof sweep>> | null = null;
    let fastScroll: Awaited<ReturnType<typeof sweep>> | null = null;
    // BENCH_GRID_QUICK: the openings and the typing only.
    if (!process.env.BENCH_GRID_QUICK) {
      const sortFrom = await now();
      for (const label of ['Email', 'Role', '2FA status', 'Cell Phone Number', 'Last login', 'Name']) {
        sorts[label] = round((await page.evaluate(`window.__bench.sortBy(${JSON.stringify(label)})`)) as number);
        console.log(`sort by ${label}: ${sorts[label]} ms`);
      }
      // Email again: the order is cached now.
      sorts['Email (again)'] = round((await page.evaluate(`window.__bench.sortBy("Email")`)) as number);
      sorts['Name (back)'] = round((await page.evaluate(`window.__bench.sortBy("Name")`)) as number);
      phases.push({ name: 'sorting', from: sortFrom, to: await now() });
      const scrollFrom = await now();
      scroll = await sweep(page, SCROLL_PX_PER_FRAME);
      fastScroll = await sweep(page, FAST_SCROLL_PX_PER_FRAME);
      phases.push({ name: 'scrolling', from: scrollFrom, to: await now() });
    }
    const longTasksAll = (await page.evaluate('window.__bench.longTasks')) as TaskTiming[];
    const longTasksByPhase = Object.fromEntries(
      [{ name: 'sign-in', from: 0, to: openFrom }, ...phases].map((phase) => [
        phase.name,
        longTasksAll
          .filter((task) => task.start >= phase.from && task.start < phase.to)
          .map((task) => round(task.duration))
          .sort((a, b) => b - a),
      ]),
    );

    // `overlapping`: also a task that began before `from` (the click's own task, which mounts the view, starts just before the click).
    const tasksBetween = (from: number, to: number, overlapping = false): number[] =>
      longTasksAll
        .filter((task) => (overlapping ? task.start + task.duration > from : task.start >= from) && task.start < to)
        .map((task) => round(task.duration))
        .sort((a, b) => b - a);
    const results = {
      employees: EMPLOYEES,
      shown: open.count,
      machine: { cpus: cpus().length, loadAverage: loadavg().map((value) => round(value, 2)), node: process.version, chromium: browser.version() },
      renderer: process.env.BENCH_GRID_RENDERER_DIR ?? 'this checkout',
      seedSeconds,
      initialRenderMs: round(open.initialRenderMs),
      fullLoadMs: round(open.fullLoadMs),
      // Long tasks (≥ 50 ms) from the click to the first rows, and while the remaining pages arrive.
      openLongTasksMs: { beforeFirstRows: tasksBetween(open.clickedAt, open.firstRowsAt, true), whilePagesArrive: tasksBetween(open.firstRowsAt, open.loadedAt) },
      // Long tasks from the signed-in page's first view to the click: the idle-time warm-up (and the heap measurement's garbage collection).
      idleLongTasksMs: longTasksAll.filter((task) => task.start >= signedInAt && task.start + task.duration <= open.clickedAt).map((task) => round(task.duration)),
      // Click → the portal's first page asked for (after the offline-copy check when the account keeps a copy), → its answer in; below 0: before the click (asked as the Admin menu opened).
      openFirstPageMs: open.firstPage && { asked: round(open.firstPage.askedMs), answered: round(open.firstPage.answeredMs) },
      // The Admin menu opened → the click on Manage Employees (Playwright's pause; a person takes longer).
      menuOpenMs: round(open.menuOpenMs),
      // The main thread's time from the click until every row is in (CPU: ThreadTime).
      openMainThreadMs: openCpu,
      reopen: { firstRowsMs: round(reopen.initialRenderMs), allRowsMs: round(reopen.fullLoadMs), shown: reopen.count, cpuMs: reopen.cpuMs },
      keystroke: {
        samples: keyMs.length,
        p50Ms: round(percentile(keyMs, 50)),
        p95Ms: round(percentile(keyMs, 95)),
        maxMs: round(Math.max(...keyMs)),
        eventTimingKeydownOver16Ms: events.length,
        eventTimingMaxMs: events.length === 0 ? 0 : Math.max(...events.map((entry) => entry.duration)),
        // The main thread's time per keystroke while typing (CPU: ThreadTime).
        perKeyMs: divided(typingCpu, keyMs.length),
      },
      typingLongTasks: { count: longTasks.length, longestMs: longTasks.length === 0 ? 0 : round(Math.max(...longTasks.map((task) => task.duration))) },
      sortMs: sorts,
      scroll,
      fastScroll,
      longTasksByPhaseMs: longTasksByPhase,
      heapMb: { beforeGrid: heapBeforeMb, allRowsLoaded: heapLoadedMb, grid: round(heapLoadedMb - heapBeforeMb) },
    };

    const longTasksText = (tasks: number[]): string => (tasks.length === 0 ? 'none ≥ 50 ms' : `${tasks.join(', ')} ms`);
    const table: [string, string, string][] = [
      ['initial render (click → first rows painted)', `${results.initialRenderMs} ms`, '≤ 150 ms'],
      ['long tasks, click → first rows', longTasksText(results.openLongTasksMs.beforeFirstRows), ''],
      ['click → first page asked / answered', results.openFirstPageMs ? `${results.openFirstPageMs.asked} / ${results.openFirstPageMs.answered} ms` : '—', ''],
      ['Admin menu opened → click (the bench\'s pause)', `${results.menuOpenMs} ms`, ''],
      ['full load (all pages, progress shown)', `${results.fullLoadMs} ms`, ''],
      ['long tasks while the pages arrive', longTasksText(results.openLongTasksMs.whilePagesArrive), 'none ≥ 50 ms'],
      ['long tasks, signed in → click (idle time)', `${longTasksText(results.idleLongTasksMs)}${open.wasBuilt ? ' (view built ahead)' : ' (view not built yet)'}`, ''],
      ['open and load: main thread CPU / script', `${results.openMainThreadMs.thread} / ${results.openMainThreadMs.script} ms`, ''],
      ['reopen (click → first rows painted)', `${results.reopen.firstRowsMs} ms`, '≤ 300 ms'],
      ['reopen (click → all rows, delta applied)', `${results.reopen.allRowsMs} ms`, '≤ 1,000 ms'],
      ['filter keystroke → painted p50', `${results.keystroke.p50Ms} ms`, ''],
      ['filter keystroke → painted p95', `${results.keystroke.p95Ms} ms`, '≤ 25 ms'],
      ['filter keystroke → painted max', `${results.keystroke.maxMs} ms (${results.keystroke.samples} keys)`, ''],
      ['longest task while typing', results.typingLongTasks.count === 0 ? 'none ≥ 50 ms' : `${results.typingLongTasks.longestMs} ms (${results.typingLongTasks.count})`, '< 50 ms'],
      ['per keystroke: CPU / script / style / layout', `${results.keystroke.perKeyMs.thread} / ${perFrameText(results.keystroke.perKeyMs)}`, ''],
      ...Object.entries(results.sortMs).map(([label, ms]): [string, string, string] => [`sort by ${label}`, `${ms} ms`, '']),
      ...(scroll && fastScroll
        ? ([
            ['scroll frame p50', `${scroll.p50Ms} ms`, ''],
            ['scroll frame p95', `${scroll.p95Ms} ms`, '≤ 17 ms'],
            ['scroll frames with blank rows', `${scroll.blankFrames} of ${scroll.frames} (${scroll.blankRows} rows)`, '0'],
            ['scroll per frame: script / style / layout', perFrameText(scroll.perFrameMs), ''],
            [`fast scroll (${FAST_SCROLL_PX_PER_FRAME} px/frame) frame p50`, `${fastScroll.p50Ms} ms`, ''],
            ['fast scroll frame p95', `${fastScroll.p95Ms} ms`, '≤ 17 ms'],
            ['fast scroll frames with blank rows', `${fastScroll.blankFrames} of ${fastScroll.frames} (${fastScroll.blankRows} rows)`, '0'],
            ['fast scroll per frame: script / style / layout', perFrameText(fastScroll.perFrameMs), ''],
          ] as [string, string, string][])
        : []),
      ['JS heap before the grid / all rows', `${results.heapMb.beforeGrid} MB / ${results.heapMb.allRowsLoaded} MB`, ''],
    ];
    console.log(`\nManage Employees grid, ${results.shown}, ${results.machine.cpus} CPUs, Chromium ${results.machine.chromium}, load average ${results.machine.loadAverage.join(' ')}, renderer: ${results.renderer}`);
    const width = Math.max(...table.map(([label]) => label.length));
    for (const [label, value, target] of table) console.log(`${label.padEnd(width)}  ${value.padEnd(30)}  ${target}`);

    const out = join(root, 'bench', 'results', 'grid.json');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nWrote ${out}`);
    await context.close();
  } finally {
    await browser.close();
    await web.close();
    await portal.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
