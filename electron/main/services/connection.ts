import { z } from 'zod';
import { IpcFailure, type ConnectionState } from '../../../common/ipc';
import type { Logger } from '../log';
import { loggingBackgroundRunner } from '../infra/background';
import type { ServiceEmitter } from '../infra/events';
import type { PortalClient } from '../infra/portal-client';

export interface ConnectionService {
  getState(): ConnectionState;
  /** What a portal call just learned: the portal answered (true) or could not be reached (false). */
  report(isReachable: boolean): void;
  /**
   * Probes `GET /api/v1/health` now (the window asks when the OS reports a network change, main
   * when the computer wakes): while probing on a schedule, the backoff starts again from this answer.
   */
  probe(): Promise<ConnectionState>;
  /** Starts probing on a schedule (backing off while offline); `stop` ends it. */
  start(): void;
  stop(): void;
  /** Forget what is known (the portal changed). */
  reset(): void;
}

export interface ConnectionServiceOptions {
  portal: () => PortalClient | null;
  emitter: ServiceEmitter;
  log: Logger;
  clock?: () => number;
  /** Between probes while online. */
  onlineIntervalMs?: number;
  /** First retry while offline; doubles up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  /**
   * The longest wait between probes while offline: the time it may take to notice the portal is
   * back. A probe is one small GET, so a short cap costs little.
   */
  maxBackoffMs?: number;
}

const healthSchema = z.object({ status: z.literal('ok') }).loose();

export function createConnectionService(options: ConnectionServiceOptions): ConnectionService {
  const clock = options.clock ?? Date.now;
  const runInBackground = loggingBackgroundRunner(options.log);
  const onlineIntervalMs = options.onlineIntervalMs ?? 60_000;
  const initialBackoffMs = options.initialBackoffMs ?? 1_000;
  const maxBackoffMs = options.maxBackoffMs ?? 10_000;
  let state: ConnectionState = { state: 'unknown', checkedAt: null };
  let backoffMs = initialBackoffMs;
  let timer: NodeJS.Timeout | null = null;
  let isRunning = false;

  function set(next: ConnectionState['state']): void {
    const changed = next !== state.state;
    state = { state: next, checkedAt: new Date(clock()).toISOString() };
    if (next === 'online') backoffMs = initialBackoffMs;
    if (changed) {
      options.log.info('connection: portal is now', { state: next });
      options.emitter.emit('connection:changed', { ...state });
    }
  }

  function schedule(): void {
    if (!isRunning) return;
    if (timer) clearTimeout(timer);
    let wait = onlineIntervalMs;
    if (state.state !== 'online') {
      wait = backoffMs;
      backoffMs = Math.min(maxBackoffMs, backoffMs * 2);
    }
    timer = setTimeout(() => {
      timer = null;
      runInBackground('probing the portal', async () => {
        await probeOnce();
        schedule();
      });
    }, wait);
    timer.unref();
  }

  async function probeOnce(): Promise<ConnectionState> {
    let client: PortalClient | null;
    try {
      client = options.portal();
    } catch {
      client = null;
    }
    if (!client) {
      set('unknown');
      return { ...state };
    }
    try {
      await client.request({ method: 'GET', path: '/health', authenticated: false, schema: healthSchema });
      set('online');
    } catch (error) {
      // An answer of any kind (even an error status) means the portal is there; TLS refusal does not.
      const code = error instanceof IpcFailure ? error.code : 'server';
      set(code === 'offline' || code === 'timeout' || code === 'tls_untrusted' ? 'offline' : 'online');
    }
    return { ...state };
  }

  /** Probes now and, while running, restarts the schedule with the first backoff. */
  async function probe(): Promise<ConnectionState> {
    if (timer) clearTimeout(timer);
    timer = null;
    backoffMs = initialBackoffMs;
    const answer = await probeOnce();
    if (timer === null) schedule();
    return answer;
  }

  return {
    getState: () => ({ ...state }),
    report(isReachable) {
      const wasOnline = state.state === 'online';
      set(isReachable ? 'online' : 'offline');
      if (!isReachable && wasOnline) schedule();
    },
    probe,
    start() {
      if (isRunning) return;
      isRunning = true;
      runInBackground('probing the portal', () => probe());
    },
    stop() {
      isRunning = false;
      if (timer) clearTimeout(timer);
      timer = null;
    },
    reset() {
      set('unknown');
      if (isRunning) runInBackground('probing the portal', () => probe());
    },
  };
}
