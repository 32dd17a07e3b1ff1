/**
 * npm run bench:startup — what the first screen costs: the renderer's chunks and the sign-in page's paint.
 *
 * 1. Builds the renderer (vite build, as `npm run build:web`) and prints every chunk with its size and
 *    gzip size, then the sum of what the sign-in page loads before it can paint: the entry script with
 *    its modulepreloads, and the stylesheets that index.html links (targets: ≤ 180 kB and ≤ 40 kB gzipped).
 * 2. Starts a demo portal and the browser-mode host, and opens the app in Debian's Chromium with the
 *    CPU slowed down 4× (DevTools' CPU throttling) in a fresh browser context each run (a cold cache,
 *    as at an app start): navigation → the sign-in form painted (the frame after the Email field exists),
 *    and the first contentful paint. RUNS runs; median and worst.
 * Writes bench/results/startup.json. Figures, never pass/fail (see bench/README.md).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { startTestBrowserMode } from '../test/support/browser-mode';
import { startTestPortal } from '../test/support/portal';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 10);
const CPU_SLOWDOWN = 4;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'out', 'renderer');

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
  const initial = new Set([...html.matchAll(/(?:src|href)="\.\/assets\/([^"]+)"/g)].map((match) => match[1]));
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

async function measurePaint(): Promise<{ formMs: number[]; firstContentfulPaintMs: number[] }> {
  const portal = await startTestPortal({ seed: 'demo' });
  const web = await startTestBrowserMode(portal);
  const browser = await chromium.launch({
    executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const formMs: number[] = [];
  const firstContentfulPaintMs: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const devtools = await context.newCDPSession(page);
      await devtools.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
      await page.goto(web.host.newPageUrl(), { waitUntil: 'commit' });
      // performance.now() counts from the navigation's start; the frame after the field exists is the painted one.
      const measured = (await page.evaluate(`new Promise((resolve) => {
        const afterPaint = (callback) => requestAnimationFrame(() => { const channel = new MessageChannel(); channel.port1.onmessage = callback; channel.port2.postMessage(null); });
        const poll = () => document.querySelector('input[type="email"]') ? afterPaint(() => {
          const paint = performance.getEntriesByName('first-contentful-paint')[0];
          resolve({ form: performance.now(), fcp: paint ? paint.startTime : -1 });
        }) : setTimeout(poll, 5);
        poll();
      })`)) as { form: number; fcp: number };
      formMs.push(round(measured.form));
      firstContentfulPaintMs.push(round(measured.fcp));
      await context.close();
    }
  } finally {
    await browser.close();
    await web.close();
    await portal.close();
  }
  return { formMs, firstContentfulPaintMs };
}

async function main(): Promise<void> {
  build();
  const all = chunks();
  const initialJs = all.filter((chunk) => chunk.initial && chunk.file.endsWith('.js'));
  const initialCss = all.filter((chunk) => chunk.initial && chunk.file.endsWith('.css'));
  const sum = (list: Chunk[], key: 'bytes' | 'gzipBytes'): number => list.reduce((total, chunk) => total + chunk[key], 0);

  console.log('Renderer chunks (* = loaded before the sign-in page paints)');
  const width = Math.max(...all.map((chunk) => chunk.file.length));
  for (const chunk of all) console.log(`${chunk.initial ? '*' : ' '} ${chunk.file.padEnd(width)}  ${kb(chunk.bytes).padStart(10)}  gzip ${kb(chunk.gzipBytes).padStart(9)}`);

  const paint = await measurePaint();
  const sortedForm = [...paint.formMs].sort((a, b) => a - b);
  const sortedFcp = [...paint.firstContentfulPaintMs].sort((a, b) => a - b);
  const results = {
    machine: { cpus: cpus().length, node: process.version, cpuSlowdown: CPU_SLOWDOWN, runs: RUNS },
    initial: {
      js: { bytes: sum(initialJs, 'bytes'), gzipBytes: sum(initialJs, 'gzipBytes'), files: initialJs.map((chunk) => chunk.file) },
      css: { bytes: sum(initialCss, 'bytes'), gzipBytes: sum(initialCss, 'gzipBytes'), files: initialCss.map((chunk) => chunk.file) },
    },
    signInFormPaintedMs: { median: quantile(sortedForm, 0.5), worst: sortedForm.at(-1) ?? Number.NaN, runs: paint.formMs },
    firstContentfulPaintMs: { median: quantile(sortedFcp, 0.5), worst: sortedFcp.at(-1) ?? Number.NaN, runs: paint.firstContentfulPaintMs },
    chunks: all,
  };
  const table: [string, string, string][] = [
    ['initial JavaScript (gzip)', `${kb(results.initial.js.gzipBytes)} (${kb(results.initial.js.bytes)} raw)`, '≤ 180 kB'],
    ['initial CSS (gzip)', `${kb(results.initial.css.gzipBytes)} (${kb(results.initial.css.bytes)} raw)`, '≤ 40 kB'],
    [`sign-in form painted, ${CPU_SLOWDOWN}× slower CPU, median / worst`, `${results.signInFormPaintedMs.median} / ${results.signInFormPaintedMs.worst} ms`, '≤ 300 ms'],
    ['first contentful paint, median / worst', `${results.firstContentfulPaintMs.median} / ${results.firstContentfulPaintMs.worst} ms`, ''],
  ];
  console.log(`\nFirst screen, ${results.machine.cpus} CPUs, ${RUNS} cold starts`);
  const labelWidth = Math.max(...table.map(([label]) => label.length));
  for (const [label, value, target] of table) console.log(`${label.padEnd(labelWidth)}  ${value.padEnd(26)}  ${target}`);

  const out = join(root, 'bench', 'results', 'startup.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nWrote ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
