/**
 * `npm run bench:import-window` — the Import phone numbers window while a 100,000-row file is
 * checked, in Chromium: whether the renderer stays responsive while main checks the file and when
 * the results arrive. A reference portal seeded with demo:100000 (HTTPS, port 0, temporary folder),
 * the browser-mode host with the real main-process services (in this process), Debian's Chromium
 * through Playwright. After signing in it opens Admin → Import phone numbers…, chooses a file that
 * gives every ordinary employee a new number, clicks Check file and measures, inside the page, from
 * the click until the tables of changes are painted:
 *
 * - the time to the counts, to the first rows of the tables, and until they have settled (the tables
 *   render the rows in view and measure them), then the changes table scrolled to its end with End;
 *   its rows (aria-rowcount), how many were rendered, and whether its last row is shown;
 * - long tasks (PerformanceObserver 'longtask', ≥ 50 ms) during the check and when the results arrive;
 * - the longest gap between animation frames (what a user would see as a frozen window);
 * - the renderer main thread's CPU time (CDP Performance domain, ThreadTime) over the same span.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { IMPORT_MAX_ROWS } from '../common/ipc/import-channels';
import { startTestBrowserMode } from '../test/support/browser-mode';
import { startTestPortal } from '../test/support/portal';
import { signIn } from './support/sign-in';

const EMPLOYEES = Number(process.env.BENCH_IMPORT_WINDOW_EMPLOYEES ?? 100_000);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** In the page: long tasks and frame gaps between `start()` and `stop()`. */
const PROBE = String.raw`
(() => {
  const bench = { longTasks: [], gaps: [], isOn: false, last: 0 };
  window.__bench = bench;
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (bench.isOn) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: false });
  } catch {}
  const frame = (now) => {
    if (!bench.isOn) return;
    bench.gaps.push(now - bench.last);
    bench.last = now;
    requestAnimationFrame(frame);
  };
  // When the counts appear, seen from the page (Playwright notices later): the split between the check and its results.
  new MutationObserver(() => {
    if (bench.isOn && bench.countsAt === null && document.querySelector('[data-testid="import-counts"]')) bench.countsAt = performance.now();
  }).observe(document, { childList: true, subtree: true });
  bench.start = () => { bench.longTasks = []; bench.gaps = []; bench.countsAt = null; bench.isOn = true; bench.last = performance.now(); requestAnimationFrame(frame); return bench.last; };
  bench.stop = () => { bench.isOn = false; return { longTasks: bench.longTasks, maxGap: Math.max(0, ...bench.gaps), frames: bench.gaps.length, countsAt: bench.countsAt }; };
})();
`;

const benchStart = performance.now();
/** A step's start, with the seconds since the bench started (where a slow or stuck run is). */
function step(what: string): void {
  console.log(`[${((performance.now() - benchStart) / 1000).toFixed(1)} s] ${what}`);
}

async function main(): Promise<void> {
  step(`Seeding a demo portal with ${EMPLOYEES.toLocaleString('en-US')} employees…`);
  const portal = await startTestPortal({ seed: `demo:${EMPLOYEES}` });
  // Acme's ordinary employees, then the other demo company's (unknown employees to Acme's admin: the
  // errors table), at most the 100,000 rows an import takes (with more, the check ends with that problem).
  const emails = (portal.db.prepare("SELECT email FROM employees WHERE email NOT LIKE 'admin@%' AND email NOT LIKE 'tech@%' AND email NOT LIKE 'totp@%' AND email NOT LIKE 'locked@%' ORDER BY id").all() as { email: string }[])
    .map((row) => row.email)
    .slice(0, IMPORT_MAX_ROWS);
  const csv = ['Email,Cell phone number', ...emails.map((email, index) => `${email},(646) 555-${String(index % 10_000).padStart(4, '0')}`)].join('\r\n');
  // BENCH_IMPORT_WINDOW_RENDERER_DIR: another build of the renderer (a before/after comparison).
  const web = await startTestBrowserMode(portal, { rendererDir: process.env.BENCH_IMPORT_WINDOW_RENDERER_DIR });
  const browser = await chromium.launch({
    executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.addInitScript({ content: PROBE });
    step('Signing in…');
    await signIn(page, portal, web);
    step('Opening Import phone numbers and choosing the file…');
    await page.getByRole('tab', { name: 'Admin' }).click();
    await page.getByRole('menuitem', { name: 'Import phone numbers…' }).click();
    const dialog = page.getByTestId('import-dialog');
    const chooser = page.waitForEvent('filechooser');
    await dialog.getByRole('button', { name: 'Choose file…' }).click();
    await (await chooser).setFiles({ name: 'everyone.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await dialog.getByTestId('import-file').waitFor();
    await page.getByRole('button', { name: 'Check file' }).waitFor();
    // (waitForFunction evaluates a string, which the app's CSP refuses.)
    for (let waited = 0; !(await page.getByTestId('import-check').isEnabled()); waited += 100) {
      if (waited > 300_000) throw new Error('Check file never became enabled');
      await page.waitForTimeout(100);
    }

    step('Checking the file…');
    const session = await context.newCDPSession(page);
    await session.send('Performance.enable');
    const threadTime = async () => ((await session.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.find((metric) => metric.name === 'ThreadTime')?.value ?? 0;
    const cpuBefore = await threadTime();
    step('Clicking Check file…');
    const started = (await page.evaluate('window.__bench.start()')) as number;
    await page.getByTestId('import-check').click();
    step('Waiting for the counts…');
    // A check that ends with a problem (a lookup that timed out, say) shows it instead of counts: say which.
    await dialog.getByTestId('import-counts').or(dialog.getByTestId('import-problem')).first().waitFor({ timeout: 600_000 });
    if (await dialog.getByTestId('import-problem').isVisible()) {
      throw new Error(`the check ended with a problem: ${(await dialog.getByTestId('import-problem').textContent())?.trim()}`);
    }
    step('The counts are in; waiting for the first rows…');
    await dialog.getByTestId('import-changes').getByRole('row').nth(1).waitFor({ timeout: 600_000 });
    const firstRowsAt = (await page.evaluate('performance.now()')) as number;
    step('The first rows are in; waiting for the tables…');
    // The tables render the rows in view and measure them: let that settle, then scroll the changes
    // table to its end with the keyboard (End), as a reader would, and let that settle too.
    const settle = 'new Promise((done) => requestAnimationFrame(() => setTimeout(() => done(performance.now()), 500)))';
    const tablesAt = (await page.evaluate(settle)) as number;
    const changesTable = dialog.getByTestId('import-changes');
    const tableRows = Number(await changesTable.getAttribute('aria-rowcount')) - 1;
    const renderedRows = await changesTable.getByRole('row').count();
    await dialog.locator('div[role="region"][aria-labelledby="import-changes-title"]').focus();
    await page.keyboard.press('End');
    await page.evaluate(settle);
    const lastRowShown = await changesTable.locator(`tr[aria-rowindex="${tableRows + 1}"]`).isVisible();
    const probe = (await page.evaluate('window.__bench.stop()')) as { longTasks: { start: number; duration: number }[]; maxGap: number; frames: number; countsAt: number };
    const { countsAt } = probe;
    const cpuSeconds = (await threadTime()) - cpuBefore;
    const counts = (await dialog.getByTestId('import-counts').textContent())?.trim();
    const during = probe.longTasks.filter((task) => task.start < countsAt);
    const after = probe.longTasks.filter((task) => task.start >= countsAt);
    const result = {
      rows: emails.length,
      counts,
      countsSeconds: round((countsAt - started) / 1000, 2),
      firstRowsSeconds: round((firstRowsAt - started) / 1000, 2),
      tablesSeconds: round((tablesAt - started) / 1000, 2),
      tableRows,
      renderedRows,
      lastRowShown,
      longTasksDuringCheck: during.length,
      longestTaskDuringCheckMs: round(Math.max(0, ...during.map((task) => task.duration))),
      longTasksResults: after.length,
      longestTaskResultsMs: round(Math.max(0, ...after.map((task) => task.duration))),
      longestFrameGapMs: round(probe.maxGap),
      rendererCpuSeconds: round(cpuSeconds, 2),
    };
    // What the window looks like once every row is in (to look at, beside the figures).
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    await dialog.screenshot({ path: join(root, 'bench', 'results', 'import-window.png') });
    console.table([result]);
    const saved = { at: new Date().toISOString(), cpus: cpus().length, loadAverage: loadavg().map((value) => round(value, 2)), ...result };
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(join(root, 'bench', 'results', 'import-window.json'), `${JSON.stringify(saved, null, 2)}\n`);
    console.log(`Load average at the end: ${saved.loadAverage.join(', ')} on ${saved.cpus} CPUs. Figures in bench/results/import-window.json.`);
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
