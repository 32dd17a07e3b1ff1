/**
 * The one test command: type-check, lint, build, unit + integration (Vitest) and end-to-end (Playwright).
 * Each step runs even if an earlier one failed, so one run shows every problem; the exit code is
 * non-zero if any step failed. The last line counts every test across runners.
 *
 * Type-check, lint and build run at the same time: each is mostly one process on one core and none
 * reads what another writes (the type-check emits nothing, lint ignores out/). Their output is held
 * and printed step by step, in order, when all three are done. Vitest and Playwright run after them
 * (the packaging tests read the build) and one after the other: each keeps the cores busy on its own.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

interface Counts { passed: number; failed: number; skipped: number }
// Not under test-results/: Playwright empties that folder when it starts.
const resultsDir = join(process.cwd(), '.tmp', 'test-summary');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

function run(label: string, command: string, args: string[], env: Record<string, string> = {}): boolean {
  const started = Date.now();
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  console.log(`=== ${label}: ${ok ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return ok;
}

/** Runs the steps at the same time; prints each one's output and result, in the given order, at the end. */
async function runTogether(steps: { label: string; command: string; args: string[] }[]): Promise<boolean[]> {
  const started = Date.now();
  console.log(`\n=== ${steps.map((step) => step.label).join(', ')}: at the same time`);
  const results = await Promise.all(
    steps.map(
      ({ command, args }) =>
        new Promise<{ output: string; code: number | string; seconds: number }>((resolvePromise) => {
          const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
          const chunks: Buffer[] = [];
          child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
          child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
          const done = (code: number | string) =>
            resolvePromise({ output: Buffer.concat(chunks).toString('utf8'), code, seconds: (Date.now() - started) / 1000 });
          child.on('error', (error) => done(error.message));
          child.on('close', (code, signal) => done(code ?? signal ?? 'unknown'));
        }),
    ),
  );
  return steps.map(({ label, command, args }, index) => {
    const { output, code, seconds } = results[index]!;
    console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
    if (output) process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
    console.log(`=== ${label}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${seconds.toFixed(1)} s`);
    return code === 0;
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

const steps: boolean[] = [];
steps.push(
  ...(await runTogether([
    { label: 'typecheck', command: 'npm', args: ['run', '--silent', 'typecheck'] },
    { label: 'lint', command: 'npm', args: ['run', '--silent', 'lint'] },
    // The Electron build (main, preload, renderer): the packaging tests read the bundle, the end-to-end tests serve the renderer.
    { label: 'build', command: 'npm', args: ['run', '--silent', 'build:electron'] },
  ])),
);
const vitestJson = join(resultsDir, 'vitest.json');
steps.push(run('unit + integration', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]));
const playwrightJson = join(resultsDir, 'playwright.json');
steps.push(run('end to end', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson }));

const totals = [vitestCounts(vitestJson), playwrightCounts(playwrightJson)].reduce(
  (sum, c) => ({ passed: sum.passed + c.passed, failed: sum.failed + c.failed, skipped: sum.skipped + c.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);
const failedSteps = steps.filter((ok) => !ok).length;
console.log(`\nsteps: ${steps.length - failedSteps} ok, ${failedSteps} failed`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps === 0 && totals.failed === 0 ? 0 : 1);
