/**
 * The one test command: type-check, lint, build, unit + integration (Vitest) and end-to-end (Playwright).
 * Each step runs even if an earlier one failed, so one run shows every problem; the exit code is
 * non-zero if any step failed. The last line counts every test across runners.
 */
import { spawnSync } from 'node:child_process';
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
steps.push(run('typecheck', 'npm', ['run', '--silent', 'typecheck']));
steps.push(run('lint', 'npm', ['run', '--silent', 'lint']));
// The Electron build (main, preload, renderer): the packaging tests read the bundle, the end-to-end tests serve the renderer.
steps.push(run('build', 'npm', ['run', '--silent', 'build:electron']));
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
