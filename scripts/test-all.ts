/**
 * The one test command: type-check, lint, build, unit + integration (Vitest) and end-to-end (Playwright).
 * Each step runs even if an earlier one failed, so one run shows every problem; the exit code is
 * non-zero if any step failed. The last line counts every test across runners.
 *
 * Type-check, lint and build start at the same time: each is mostly one process on one core and none
 * reads what another writes (the type-check emits nothing, lint ignores out/). Vitest needs only the
 * build (the packaging tests read it), so it starts as soon as the build is done, while type-check and
 * lint finish. Playwright runs after Vitest: each keeps the cores busy on its own.
 *
 * The output stays in step order: a step's output is held until every step before it has been printed,
 * then it is printed and the rest streams as it comes (in practice: type-check, lint and build when
 * they are done, then Vitest live).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

interface Counts { passed: number; failed: number; skipped: number }
// Not under test-results/: Playwright empties that folder when it starts.
const resultsDir = join(process.cwd(), '.tmp', 'test-summary');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });
const runStarted = Date.now();

interface Step { label: string; command: string; args: string[]; env?: Record<string, string> }

/** Prints the steps' output in step order, whatever order they run and finish in (see the file's comment). */
class OrderedOutput {
  private readonly held: { chunks: Buffer[]; footer?: string }[] = [];
  private current = 0;

  constructor(private readonly steps: Step[]) {
    for (let index = 0; index < steps.length; index += 1) this.held.push({ chunks: [] });
  }

  write(index: number, chunk: Buffer): void {
    if (index === this.current) process.stdout.write(chunk);
    else this.held[index]!.chunks.push(chunk);
  }

  /** The step's last line; moves on to the next step's held output if this step was the one printing. */
  finish(index: number, footer: string): void {
    this.held[index]!.footer = footer;
    while (this.current < this.steps.length && this.held[this.current]!.footer !== undefined) {
      this.flush(this.current);
      this.current += 1;
      if (this.current < this.steps.length) this.header(this.current);
    }
  }

  /** The first step's header; the others' are printed when their turn comes. */
  begin(): void {
    this.header(0);
  }

  private header(index: number): void {
    const { label, command, args } = this.steps[index]!;
    console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
    const { chunks } = this.held[index]!;
    for (const chunk of chunks) process.stdout.write(chunk);
    chunks.length = 0;
  }

  private flush(index: number): void {
    const { chunks, footer } = this.held[index]!;
    for (const chunk of chunks) process.stdout.write(chunk);
    chunks.length = 0;
    console.log(footer);
  }
}

/** Starts a step; resolves with whether it succeeded. Its output goes through `output`. */
function start(output: OrderedOutput, steps: Step[], index: number): Promise<boolean> {
  const { label, command, args, env = {} } = steps[index]!;
  const started = Date.now();
  return new Promise((resolvePromise) => {
    let endsWithNewline = true;
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const write = (chunk: Buffer) => {
      endsWithNewline = chunk.at(-1) === 0x0a;
      output.write(index, chunk);
    };
    child.stdout.on('data', write);
    child.stderr.on('data', write);
    let settled = false;
    const done = (code: number | string) => {
      if (settled) return;
      settled = true;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const since = ((started - runStarted) / 1000).toFixed(0);
      const result = code === 0 ? 'ok' : `FAILED (exit ${code})`;
      output.finish(index, `${endsWithNewline ? '' : '\n'}=== ${label}: ${result} in ${seconds} s (started at ${since} s)`);
      resolvePromise(code === 0);
    };
    child.on('error', (error) => done(error.message));
    child.on('close', (code, signal) => done(code ?? signal ?? 'unknown'));
  });
}

function vitestCounts(file: string): Counts {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const report = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests };
}

function playwrightCounts(file: string): Counts {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const report = JSON.parse(readFileSync(file, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
  return { passed: report.stats.expected + report.stats.flaky, failed: report.stats.unexpected, skipped: report.stats.skipped };
}

const vitestJson = join(resultsDir, 'vitest.json');
const playwrightJson = join(resultsDir, 'playwright.json');
// Colours as on a terminal when the command itself runs in one (the steps write to pipes).
const colour: Record<string, string> = process.stdout.isTTY ? { FORCE_COLOR: '1' } : {};
const plan: Step[] = [
  { label: 'typecheck', command: 'npm', args: ['run', '--silent', 'typecheck'] },
  { label: 'lint', command: 'npm', args: ['run', '--silent', 'lint'] },
  // The Electron build (main, preload, renderer): the packaging tests read the bundle, the end-to-end tests serve the renderer.
  { label: 'build', command: 'npm', args: ['run', '--silent', 'build:electron'] },
  { label: 'unit + integration', command: 'npx', args: ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`], env: colour },
  { label: 'end to end', command: 'npx', args: ['playwright', 'test', '--reporter=list,json'], env: { ...colour, PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson } },
];
const output = new OrderedOutput(plan);
output.begin();
const [typecheck, lint, build] = [0, 1, 2].map((index) => start(output, plan, index));
const vitest = build!.then(() => start(output, plan, 3));
const endToEnd = vitest.then(() => start(output, plan, 4));
const steps = await Promise.all([typecheck!, lint!, build!, vitest, endToEnd]);

const totals = [vitestCounts(vitestJson), playwrightCounts(playwrightJson)].reduce(
  (sum, c) => ({ passed: sum.passed + c.passed, failed: sum.failed + c.failed, skipped: sum.skipped + c.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);
const failedSteps = steps.filter((ok) => !ok).length;
console.log(`\nsteps: ${steps.length - failedSteps} ok, ${failedSteps} failed`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps === 0 && totals.failed === 0 ? 0 : 1);
