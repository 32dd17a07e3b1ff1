import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loggingBackgroundRunner } from '../../../../electron/main/infra/background';
import { createLogger } from '../../../../electron/main/log';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

let lines: Record<string, unknown>[];
let unhandled: unknown[];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
beforeEach(() => {
  lines = [];
  unhandled = [];
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

function runner() {
  return loggingBackgroundRunner(createLogger({ level: 'debug', sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }));
}

describe("main's background runner", () => {
  it('logs a rejected task as a warning named by what was being done, and throws nothing', async () => {
    const runInBackground = runner();
    expect(() => runInBackground('syncing drafts', () => Promise.reject(new Error('portal gone')))).not.toThrow();
    await settle();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', message: 'syncing drafts failed' });
    expect(JSON.stringify(lines[0])).toContain('portal gone');
    expect(unhandled).toEqual([]);
  });

  it('catches and logs a task that throws before it returns a promise', async () => {
    const runInBackground = runner();
    expect(() =>
      runInBackground('probing the portal', () => {
        throw new Error('no client');
      }),
    ).not.toThrow();
    await settle();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', message: 'probing the portal failed' });
    expect(JSON.stringify(lines[0])).toContain('no client');
  });

  it('starts the task at once and logs nothing when it succeeds', async () => {
    const runInBackground = runner();
    let started = false;
    runInBackground('ending the session', async () => {
      started = true;
    });
    expect(started).toBe(true);
    await settle();
    expect(lines).toEqual([]);
  });

  it('still rejects nothing when the logger itself fails', async () => {
    const failing = { debug() {}, info() {}, error() {}, warn() { throw new Error('disk full'); } };
    const runInBackground = loggingBackgroundRunner(failing);
    expect(() => runInBackground('switching the portal', () => Promise.reject(new Error('boom')))).not.toThrow();
    expect(() =>
      runInBackground('switching the portal', () => {
        throw new Error('boom');
      }),
    ).not.toThrow();
    await settle();
    expect(unhandled).toEqual([]);
  });
});
