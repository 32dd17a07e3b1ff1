/**
 * npm run bench:startup — what the first screen costs: the renderer's chunks and the sign-in page's paint.
 *
 * 1. Builds the renderer (vite build, as `npm run build:web`) and prints every chunk with its size and
 *    gzip size, then the sum of what the sign-in page loads before it can paint: the entry script with
 *    its modulepreloads, and the stylesheets that index.html links (targets: ≤ 180 kB and ≤ 40 kB gzipped),
 *    and the largest source modules in them.
 * 2. Starts a demo portal and the browser-mode host, and opens the app in Debian's Chromium with the
 *    CPU slowed down 4× (DevTools' CPU throttling) in a fresh browser context each run (a cold cache,
 *    as at a first app start): navigation → the sign-in form painted (the frame after the Email field is
 *    in the page: the sign-in page prerendered into index.html, before the app's JavaScript has run) and
 *    navigation → the form usable (the frame after the app's own form is mounted, its Email field
 *    enabled and focused), and the first contentful paint. RUNS runs; median and worst, with the app's
 *    own milestones (scripts arrived, bridge open, language ready, mounted) and the page's main-thread
 *    CPU time.
 *    Beside them, the floor (bench/support/startup-floor.ts): a trivial page, index.html's markup alone, and
 *    index.html without its script, from the same page server, browser and throttling, interleaved with the
 *    app's runs: what is reachable on this machine at all (BENCH_STARTUP_FLOOR=0 skips it).
 * 3. One more cold start under a Chromium performance trace: where the main thread's time went from
 *    navigation to the usable form (JavaScript parse/compile/run, style, layout, paint, waiting), and
 *    the longest tasks.
 * Writes bench/results/startup.json. Figures, never pass/fail (see bench/README.md).
 * BENCH_STARTUP_RENDERER_DIR: measure another renderer build (e.g. one of main, for a before/after run).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from '@playwright/test';
import { startTestBrowserMode, type TestBrowserMode } from '../test/support/browser-mode';
import { startTestPortal } from '../test/support/portal';
import { buildRendererGraph, moduleGroup } from '../scripts/renderer-chunk-graph';
import { navigationStartTs, pageMainThread, splitThread, TRACE_CATEGORIES, type ThreadSplit, type TraceEvent } from './support/chromium-trace';
import { FLOOR_MESSAGE, FLOOR_PAGES, rendererWithFloorPages, WATCH_FOR_FLOOR, type FloorPage } from './support/startup-floor';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 10);
// The floor (bench/support/startup-floor.ts): BENCH_STARTUP_FLOOR=0 skips it.
const FLOOR_RUNS = process.env.BENCH_STARTUP_FLOOR === '0' ? 0 : RUNS;
const CPU_SLOWDOWN = 4;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const otherRenderer = process.env.BENCH_STARTUP_RENDERER_DIR;
const outDir = otherRenderer ? resolve(otherRenderer) : join(root, 'out', 'renderer');
const traceFile = join(root, 'bench', 'results', otherRenderer ? 'startup-other-trace.json' : 'startup-trace.json');

interface Chunk { file: string; bytes: number; gzipBytes: number; initial: boolean }

const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`;
const round = (value: number): number => Math.round(value * 10) / 10;

function build(): void {
  const cli = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [cli, 'build', '--logLevel', 'warn'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
}

/** Every asset, marked initial when index.html loads it before the app can paint. */
function chunks(): Chunk[] {
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  // The boot script's app entry and the chunks it preloads with it (data-app, data-preload) count as initial too.
  const named = [...html.matchAll(/(?:src|href|data-app|data-preload)="([^"]+)"/g)].flatMap((match) => match[1]!.split(' '));
  const initial = new Set(named.filter((file) => file.startsWith('./assets/')).map((file) => file.slice('./assets/'.length)));
  const assets = join(outDir, 'assets');
  return readdirSync(assets)
    .filter((file) => /\.(js|css)$/.test(file))
    .map((file) => {
      const content = readFileSync(join(assets, file));
      return { file, bytes: statSync(join(assets, file)).size, gzipBytes: gzipSync(content, { level: 9 }).length, initial: initial.has(file) };
    })
    .sort((a, b) => b.bytes - a.bytes);
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}
const median = (values: number[]): number => quantile([...values].sort((a, b) => a - b), 0.5);

/**
 * Installed before the page's own scripts. Two moments, each taken at the frame after it (when that
 * frame has been painted; for "painted", the browser's first contentful paint instead when the form
 * was in the page by then); performance.now() counts from the navigation's start:
 * - painted: the sign-in form's Email field is in the page — the prerendered one from index.html
 *   (painted before any of the app's JavaScript has run; the render-blocking stylesheets have arrived
 *   by then, since the browser paints no frame before them), or the app's own on a build without it;
 * - usable: the app's own form — mounted (not inside the prerendered page), the Email field enabled,
 *   laid out and focused (CredentialsForm focuses it when it mounts): its handlers are live. Then it
 *   logs USABLE_MESSAGE to the console, which the bench waits for.
 */
const USABLE_MESSAGE = 'portal-admin:bench:startup-usable';
const WATCH_FOR_FORM = `(() => {
  const state = window.__startup = { painted: -1, formInDom: -1, form: -1, usableInDom: -1 };
  const afterPaint = (callback) => requestAnimationFrame(() => { const channel = new MessageChannel(); channel.port1.onmessage = callback; channel.port2.postMessage(null); });
  const isAppForm = (field) => field.closest('[data-prerendered]') === null && !field.disabled && field.getBoundingClientRect().width > 0 && document.activeElement === field;
  const check = () => {
    const field = document.querySelector('#app input[type="email"]');
    if (field === null) return;
    if (state.formInDom < 0) {
      state.formInDom = performance.now();
      afterPaint(() => { state.painted = performance.now(); });
    }
    if (state.usableInDom >= 0 || !isAppForm(field)) return;
    state.usableInDom = performance.now();
    observer.disconnect();
    afterPaint(() => {
      state.form = performance.now();
      console.debug(${JSON.stringify(USABLE_MESSAGE)});
    });
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
  document.addEventListener('focusin', check, true);
})();`;

interface RunResult {
  /** The frame after the form (prerendered or the app's) was in the page: the form painted. */
  paintedMs: number;
  /** The frame after the app's own form was mounted, enabled and focused: the form usable. */
  formMs: number;
  formInDomMs: number;
  firstContentfulPaintMs: number;
  /** The app's performance marks (main.ts), ms from navigation. */
  marks: Record<string, number>;
  /** When the page's HTML had arrived (the navigation's responseEnd). */
  documentMs: number;
  /** When the last script and stylesheet fetched before the paint arrived. */
  lastScriptMs: number;
  /** When the render-blocking files (the linked stylesheets; on older builds also the first-paint script) had arrived, as Chromium marks them: no frame before. */
  renderBlockingMs: number;
  /** Files fetched before the form was painted. */
  fetched: string[];
  /** The page's main thread, CPU ms (DevTools' ThreadTime) and busy ms (TaskDuration), up to the paint. */
  threadCpuMs: number;
  taskMs: number;
  scriptMs: number;
  styleMs: number;
  layoutMs: number;
}

async function coldStart(browser: Browser, web: TestBrowserMode, initialFiles: string[], trace: boolean): Promise<{ run: RunResult; split: ThreadSplit | null; paintedSplit: ThreadSplit | null }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript(WATCH_FOR_FORM);
    const page = await context.newPage();
    const devtools = await context.newCDPSession(page);
    await devtools.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    await devtools.send('Performance.enable');
    if (trace) {
      mkdirSync(dirname(traceFile), { recursive: true });
      await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    }
    const url = web.host.newPageUrl();
    // Told by a console message, not asked with page.evaluate: an evaluation while the page loads has
    // Playwright compile and run its own script on the page's main thread, before the paint measured.
    const usable = page.waitForEvent('console', { predicate: (message) => message.text() === USABLE_MESSAGE, timeout: 60_000 });
    usable.catch(() => undefined); // awaited below, after the navigation (which may fail first)
    await page.goto(url, { waitUntil: 'commit' });
    await usable.catch((error: unknown) => {
      throw new Error(`the sign-in form was not usable within 60 s (${error instanceof Error ? error.message : String(error)})`);
    });
    const metrics = new Map(((await devtools.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.map((metric) => [metric.name, metric.value]));
    const page_ = (await page.evaluate(`(() => {
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      const state = { painted: window.__startup.painted, formInDomAny: window.__startup.formInDom, form: window.__startup.form, formInDom: window.__startup.usableInDom, fcp: paint ? paint.startTime : -1 };
      const marks = Object.fromEntries(performance.getEntriesByType('mark').filter((mark) => mark.name.startsWith('portal-admin:')).map((mark) => [mark.name.slice('portal-admin:'.length), mark.startTime]));
      const resources = performance.getEntriesByType('resource').filter((entry) => entry.startTime <= state.form);
      const scripts = resources.filter((entry) => /\\.(js|css)$/.test(entry.name));
      const initial = new Set(${JSON.stringify(initialFiles)});
      const arrivals = scripts.filter((entry) => initial.has(entry.name.replace(/^.*\\//, ''))).map((entry) => entry.responseEnd);
      // The browser's own word (renderBlockingStatus): a stylesheet index.html links disabled, loaded by the app later, is not one.
      const blocking = scripts.filter((entry) => entry.renderBlockingStatus === 'blocking').map((entry) => entry.responseEnd);
      const navigation = performance.getEntriesByType('navigation')[0];
      return { state, marks, fetched: scripts.map((entry) => entry.name.replace(/^.*\\//, '')), lastScript: Math.max(0, ...arrivals), renderBlocking: Math.max(0, ...blocking), document: navigation ? navigation.responseEnd : -1 };
    })()`)) as { state: { painted: number; formInDomAny: number; form: number; formInDom: number; fcp: number }; marks: Record<string, number>; fetched: string[]; lastScript: number; renderBlocking: number; document: number };
    const seconds = (name: string): number => round((metrics.get(name) ?? Number.NaN) * 1000);
    const run: RunResult = {
      // The browser's own paint time when the form was in the page by the first contentful paint (the
      // prerendered page is the page's only content); else the frame after the form appeared (a task
      // queued from that frame runs after its paint, but also after any long task that follows it).
      paintedMs: round(page_.state.fcp >= 0 && page_.state.formInDomAny >= 0 && page_.state.formInDomAny <= page_.state.fcp ? page_.state.fcp : page_.state.painted),
      formMs: round(page_.state.form),
      formInDomMs: round(page_.state.formInDom),
      firstContentfulPaintMs: round(page_.state.fcp),
      marks: Object.fromEntries(Object.entries(page_.marks).map(([name, value]) => [name, round(value)])),
      documentMs: round(page_.document),
      lastScriptMs: round(page_.lastScript),
      renderBlockingMs: round(page_.renderBlocking),
      fetched: page_.fetched,
      threadCpuMs: seconds('ThreadTime'),
      taskMs: seconds('TaskDuration'),
      scriptMs: seconds('ScriptDuration'),
      styleMs: seconds('RecalcStyleDuration'),
      layoutMs: seconds('LayoutDuration'),
    };
    let split: ThreadSplit | null = null;
    let paintedSplit: ThreadSplit | null = null;
    if (trace) {
      const buffer = await browser.stopTracing();
      // The whole trace, for Chrome DevTools' Performance panel.
      writeFileSync(traceFile, buffer);
      const parsed = JSON.parse(buffer.toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
      const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
      const thread = pageMainThread(events, new URL(url).host);
      const start = navigationStartTs(events, thread, new URL(url).host);
      split = splitThread(events, thread, start, start + run.formMs * 1000);
      paintedSplit = splitThread(events, thread, start, start + run.paintedMs * 1000);
    }
    return { run, split, paintedSplit };
  } finally {
    await context.close();
  }
}

/** A floor page (bench/support/startup-floor.ts) opened as the app is: same context, init script, throttling. */
async function floorStart(browser: Browser, web: TestBrowserMode, floor: FloorPage): Promise<FloorRun> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript(WATCH_FOR_FORM);
    await context.addInitScript(WATCH_FOR_FLOOR);
    const page = await context.newPage();
    const devtools = await context.newCDPSession(page);
    await devtools.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    await devtools.send('Performance.enable');
    const painted = page.waitForEvent('console', { predicate: (message) => message.text() === FLOOR_MESSAGE, timeout: 30_000 });
    painted.catch(() => undefined); // awaited below, after the navigation (which may fail first)
    await page.goto(`${web.host.origin}/${FLOOR_PAGES[floor]}`, { waitUntil: 'commit' });
    await painted;
    const state = (await page.evaluate(`(() => {
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      const navigation = performance.getEntriesByType('navigation')[0];
      return { painted: window.__startup.painted, formInDom: window.__startup.formInDom, fcp: paint ? paint.startTime : -1, document: navigation ? navigation.responseEnd : -1 };
    })()`)) as { painted: number; formInDom: number; fcp: number; document: number };
    // As for the app's page: the first contentful paint when the form (if any) was in the page by then.
    const paintedMs = state.formInDom < 0 || state.formInDom <= state.fcp ? state.fcp : state.painted;
    return { paintedMs: round(paintedMs), firstContentfulPaintMs: round(state.fcp), documentMs: round(state.document) };
  } finally {
    await context.close();
  }
}

interface FloorRun { paintedMs: number; firstContentfulPaintMs: number; documentMs: number }

async function measurePaint(initialFiles: string[]): Promise<{ runs: RunResult[]; floor: Record<FloorPage, FloorRun[]>; split: ThreadSplit; paintedSplit: ThreadSplit }> {
  const portal = await startTestPortal({ seed: 'demo' });
  // The app is served from the same copy as the floor pages: one page server, one origin.
  const site = FLOOR_RUNS > 0 ? rendererWithFloorPages(outDir) : null;
  const web = await startTestBrowserMode(portal, { rendererDir: site?.dir ?? outDir });
  const browser = await chromium.launch({
    executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    const runs: RunResult[] = [];
    const floor: Record<FloorPage, FloorRun[]> = { text: [], markup: [], styled: [] };
    // Interleaved, so the app and its floor share the machine's load of the same minutes.
    for (let index = 0; index < Math.max(RUNS, FLOOR_RUNS); index++) {
      if (index < RUNS) runs.push((await coldStart(browser, web, initialFiles, false)).run);
      if (index < FLOOR_RUNS) for (const page of Object.keys(floor) as FloorPage[]) floor[page].push(await floorStart(browser, web, page));
    }
    // Under heavy load a trace now and then lacks the navigation's mark: one more try.
    const traced = await coldStart(browser, web, initialFiles, true).catch((error: unknown) => {
      console.warn(`the traced start failed (${error instanceof Error ? error.message : String(error)}); once more`);
      return coldStart(browser, web, initialFiles, true);
    });
    if (!traced.split || !traced.paintedSplit) throw new Error('the traced start gave no trace');
    return { runs, floor, split: traced.split, paintedSplit: traced.paintedSplit };
  } finally {
    await browser.close();
    await web.close();
    await portal.close();
    site?.remove();
  }
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  if (!otherRenderer) build();
  const all = chunks();
  const initialJs = all.filter((chunk) => chunk.initial && chunk.file.endsWith('.js'));
  const initialCss = all.filter((chunk) => chunk.initial && chunk.file.endsWith('.css'));
  const indexHtml = readFileSync(join(outDir, 'index.html'));
  const sum = (list: Chunk[], key: 'bytes' | 'gzipBytes'): number => list.reduce((total, chunk) => total + chunk[key], 0);

  console.log(`Renderer chunks of ${otherRenderer ?? 'this checkout'} (* = loaded before the sign-in page paints)`);
  const width = Math.max(...all.map((chunk) => chunk.file.length));
  for (const chunk of all) console.log(`${chunk.initial ? '*' : ' '} ${chunk.file.padEnd(width)}  ${kb(chunk.bytes).padStart(10)}  gzip ${kb(chunk.gzipBytes).padStart(9)}`);

  // What the initial chunks are made of (this checkout's sources only).
  let composition: { group: string; bytes: number }[] = [];
  if (!otherRenderer) {
    const graph = await buildRendererGraph();
    const groups = new Map<string, number>();
    for (const module of graph.initialModules) groups.set(moduleGroup(module.id), (groups.get(moduleGroup(module.id)) ?? 0) + module.bytes);
    composition = [...groups].map(([group, bytes]) => ({ group, bytes })).sort((a, b) => b.bytes - a.bytes);
    console.log('\nThe initial chunks by source (minified bytes, before gzip), largest first');
    for (const { group, bytes } of composition.slice(0, 25)) console.log(`  ${kb(bytes).padStart(9)}  ${group}`);
  }

  const paint = await measurePaint(all.filter((chunk) => chunk.initial).map((chunk) => chunk.file));
  const pick = (key: keyof Omit<RunResult, 'marks' | 'fetched'>): number[] => paint.runs.map((run) => run[key]);
  const sortedPainted = pick('paintedMs').sort((a, b) => a - b);
  const sortedForm = pick('formMs').sort((a, b) => a - b);
  const sortedFcp = pick('firstContentfulPaintMs').sort((a, b) => a - b);
  const markNames = [...new Set(paint.runs.flatMap((run) => Object.keys(run.marks)))];
  const milestones: [string, number][] = [
    ['index.html arrived', median(pick('documentMs'))],
    ['render-blocking files arrived (the stylesheets)', median(pick('renderBlockingMs'))],
    ['initial scripts and stylesheets arrived', median(pick('lastScriptMs'))],
    ...markNames.map((name): [string, number] => [`app: ${name}`, median(paint.runs.map((run) => run.marks[name] ?? Number.NaN))]),
    ['first contentful paint', median(pick('firstContentfulPaintMs'))],
    ['sign-in form painted (prerendered, or the app\'s without it)', median(pick('paintedMs'))],
    ['app\'s sign-in form in the page, enabled and focused', median(pick('formInDomMs'))],
    ['sign-in form usable (painted by the app, handlers live)', median(pick('formMs'))],
  ];
  const fetchedBeforePaint = [...new Set(paint.runs.flatMap((run) => run.fetched))];
  const results = {
    machine: { cpus: cpus().length, node: process.version, cpuSlowdown: CPU_SLOWDOWN, runs: RUNS, loadBefore, loadAfter: loadavg() },
    renderer: otherRenderer ?? 'this checkout',
    initial: {
      js: { bytes: sum(initialJs, 'bytes'), gzipBytes: sum(initialJs, 'gzipBytes'), files: initialJs.map((chunk) => chunk.file) },
      css: { bytes: sum(initialCss, 'bytes'), gzipBytes: sum(initialCss, 'gzipBytes'), files: initialCss.map((chunk) => chunk.file) },
      fetchedBeforePaint,
      composition,
    },
    indexHtml: { bytes: indexHtml.length, gzipBytes: gzipSync(indexHtml, { level: 9 }).length },
    signInFormPaintedMs: { median: quantile(sortedPainted, 0.5), worst: sortedPainted.at(-1) ?? Number.NaN, runs: paint.runs.map((run) => run.paintedMs) },
    signInFormUsableMs: { median: quantile(sortedForm, 0.5), worst: sortedForm.at(-1) ?? Number.NaN, runs: paint.runs.map((run) => run.formMs) },
    firstContentfulPaintMs: { median: quantile(sortedFcp, 0.5), worst: sortedFcp.at(-1) ?? Number.NaN, runs: paint.runs.map((run) => run.firstContentfulPaintMs) },
    mainThreadToPaintMs: { cpu: median(pick('threadCpuMs')), tasks: median(pick('taskMs')), script: median(pick('scriptMs')), style: median(pick('styleMs')), layout: median(pick('layoutMs')) },
    milestonesMs: Object.fromEntries(milestones),
    floor: Object.fromEntries(
      Object.entries(paint.floor).map(([page, runs]) => [page, {
        paintedMs: { median: median(runs.map((run) => run.paintedMs)), worst: Math.max(...runs.map((run) => run.paintedMs)) },
        firstContentfulPaintMs: median(runs.map((run) => run.firstContentfulPaintMs)),
        documentMs: median(runs.map((run) => run.documentMs)),
        runs,
      }]),
    ),
    trace: paint.split,
    traceUntilPainted: paint.paintedSplit,
    runs: paint.runs,
    chunks: all,
  };
  const table: [string, string, string][] = [
    ['initial JavaScript (gzip)', `${kb(results.initial.js.gzipBytes)} (${kb(results.initial.js.bytes)} raw)`, '≤ 180 kB'],
    ['initial CSS (gzip)', `${kb(results.initial.css.gzipBytes)} (${kb(results.initial.css.bytes)} raw)`, '≤ 40 kB'],
    ['index.html (gzip), with the prerendered sign-in page', `${kb(results.indexHtml.gzipBytes)} (${kb(results.indexHtml.bytes)} raw)`, ''],
    [`sign-in form painted, ${CPU_SLOWDOWN}× slower CPU, median / worst`, `${results.signInFormPaintedMs.median} / ${results.signInFormPaintedMs.worst} ms`, '≤ 300 ms'],
    ['sign-in form usable (app mounted), median / worst', `${results.signInFormUsableMs.median} / ${results.signInFormUsableMs.worst} ms`, ''],
    ['first contentful paint, median / worst', `${results.firstContentfulPaintMs.median} / ${results.firstContentfulPaintMs.worst} ms`, ''],
    ['page main thread until usable: CPU / busy', `${results.mainThreadToPaintMs.cpu} / ${results.mainThreadToPaintMs.tasks} ms`, ''],
  ];
  console.log(`\nFirst screen, ${results.machine.cpus} CPUs, ${RUNS} cold starts, load ${loadBefore.map((value) => value.toFixed(2)).join(' ')}`);
  const labelWidth = Math.max(...table.map(([label]) => label.length));
  for (const [label, value, target] of table) console.log(`${label.padEnd(labelWidth)}  ${value.padEnd(26)}  ${target}`);
  console.log(`fetched before the paint: ${fetchedBeforePaint.join(', ')}`);

  console.log('\nMilestones, ms after navigation (median)');
  for (const [label, value] of milestones) console.log(`  ${String(value).padStart(8)}  ${label}`);

  if (FLOOR_RUNS > 0) {
    console.log(`\nThe floor: other pages from the same page server, browser, flags and throttling (${FLOOR_RUNS} cold starts each, interleaved with the app's), median / worst painted, ms`);
    const floorLabels: Record<FloorPage, string> = {
      text: 'a trivial page (<p>x</p>)',
      markup: 'index.html\'s prerendered markup alone (no stylesheet, no script)',
      styled: 'index.html without its script (markup and stylesheets)',
    };
    for (const [page, figures] of Object.entries(results.floor)) {
      console.log(`  ${`${figures.paintedMs.median} / ${figures.paintedMs.worst}`.padStart(15)}  ${floorLabels[page as FloorPage]} (FCP ${figures.firstContentfulPaintMs}, HTML arrived ${figures.documentMs})`);
    }
    console.log(`  ${`${results.signInFormPaintedMs.median} / ${results.signInFormPaintedMs.worst}`.padStart(15)}  the app's index.html (the sign-in form painted)`);
  }

  const cpuTotal = (split: ThreadSplit): number => round(Object.values(split.cpuMs).reduce((total, value) => total + (value ?? 0), 0));
  console.log(`\nThe traced start's main thread, navigation → form painted: ${paint.paintedSplit.stretchMs} ms wall, ${cpuTotal(paint.paintedSplit)} ms CPU`);
  for (const [bucket, wall] of Object.entries(paint.paintedSplit.wallMs)) {
    const cpu = paint.paintedSplit.cpuMs[bucket as keyof typeof paint.paintedSplit.cpuMs];
    if (wall > 0) console.log(`  ${String(wall).padStart(19)}  ${String(cpu ?? '').padStart(6)}  ${bucket}`);
  }
  console.log(`\nWhere the page's main thread spent navigation → form usable (one traced cold start, ${paint.split.stretchMs} ms)`);
  console.log('  wall ms (throttled)  CPU ms  bucket');
  for (const [bucket, wall] of Object.entries(paint.split.wallMs)) {
    const cpu = paint.split.cpuMs[bucket as keyof typeof paint.split.cpuMs];
    console.log(`  ${String(wall).padStart(19)}  ${String(cpu ?? '').padStart(6)}  ${bucket}`);
  }
  console.log('  longest tasks: ' + paint.split.longestTasks.map((task) => `${task.wallMs} ms at ${task.startMs} (${task.mostly})`).join('; '));

  const out = join(root, 'bench', 'results', otherRenderer ? 'startup-other.json' : 'startup.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nWrote ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
