import { describe, expect, it } from 'vitest';
import { runCrashTrials } from '../../support/crash-trials';

/**
 * Crash safety of the drafts store: a child process writes drafts and is killed with SIGKILL at a
 * random moment, 25 times over one file. No acknowledged draft may be lost and the file must always
 * open. `npm run bench:drafts` runs the same trials 200+ times.
 */
describe('drafts store: SIGKILL at random moments', () => {
  it('loses no acknowledged draft and never leaves an unreadable file (25 trials)', async () => {
    const report = await runCrashTrials({ trials: 25 });
    const summary = JSON.stringify({ ...report, failures: report.failures.slice(0, 5) }, null, 2);
    expect(report.failures, summary).toEqual([]);
    expect(report.trials).toBe(25);
    expect(report.unreadable, summary).toBe(0);
    expect(report.lost, summary).toBe(0);
    expect(report.unexpected, summary).toBe(0);
    // Every child was killed while writing, and most got several writes done first.
    expect(report.killed, summary).toBe(25);
    expect(report.acked, summary).toBeGreaterThan(report.trials);
  }, 120_000);

  it('notices a writer that acknowledges before the write is durable', async () => {
    const report = await runCrashTrials({ trials: 8, isFaultInjected: true });
    expect(report.unreadable).toBe(0);
    expect(report.lost, JSON.stringify(report, null, 2)).toBeGreaterThan(0);
  }, 60_000);
});
