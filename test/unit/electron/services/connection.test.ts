import { afterEach, describe, expect, it, vi } from 'vitest';
import { IpcFailure, type ConnectionState } from '../../../../common/ipc';
import { silentLogger } from '../../../../electron/main/log';
import { createConnectionService } from '../../../../electron/main/services/connection';
import { createCredentialStore, keychainKindFromEnvironment } from '../../../../electron/main/infra/credential-store';
import { createEmitter } from '../../../../electron/main/infra/events';
import type { PortalClient } from '../../../../electron/main/infra/portal-client';

afterEach(() => {
  vi.useRealTimers();
});

function fakeClient(answers: ('ok' | 'offline' | 'timeout' | 'server')[]): PortalClient & { probes: number[] } {
  const probes: number[] = [];
  return {
    url: 'https://portal.test',
    origin: 'https://portal.test',
    probes,
    request: async <T>() => {
      probes.push(Date.now());
      const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
      if (answer === 'ok') return { status: 'ok' } as T;
      throw new IpcFailure(answer, answer);
    },
    dispose() {},
  };
}

describe('connection', () => {
  it('probes /health, backs off while offline and emits only on change', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-01-15T09:00:00Z') });
    const client = fakeClient(['offline', 'offline', 'timeout', 'ok', 'ok', 'server']);
    const emitter = createEmitter();
    const events: ConnectionState[] = [];
    emitter.onEvent((event, payload) => {
      if (event === 'connection:changed') events.push(payload as ConnectionState);
    });
    const connection = createConnectionService({ portal: () => client, emitter, log: silentLogger, initialBackoffMs: 1_000, maxBackoffMs: 4_000, onlineIntervalMs: 10_000 });
    connection.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(connection.getState().state).toBe('offline');
    await vi.advanceTimersByTimeAsync(1_000); // 2nd probe after 1 s
    await vi.advanceTimersByTimeAsync(2_000); // 3rd after 2 s more
    await vi.advanceTimersByTimeAsync(4_000); // 4th after 4 s more (cap): online
    expect(connection.getState().state).toBe('online');
    await vi.advanceTimersByTimeAsync(10_000); // online: every 10 s
    await vi.advanceTimersByTimeAsync(10_000); // a 500 still means the portal is there
    connection.stop();
    const start = Date.parse('2026-01-15T09:00:00Z');
    expect(client.probes.map((at) => at - start)).toEqual([0, 1_000, 3_000, 7_000, 17_000, 27_000]);
    expect(events.map((event) => event.state)).toEqual(['offline', 'online']);
  });

  /** A portal that is down until `isUp` is set; records when it was probed. */
  function switchablePortal() {
    const probes: number[] = [];
    const portal = {
      isUp: false,
      probes,
      client: {
        url: 'https://portal.test',
        origin: 'https://portal.test',
        request: async <T>() => {
          probes.push(Date.now());
          if (portal.isUp) return { status: 'ok' } as T;
          throw new IpcFailure('offline', 'offline');
        },
        dispose() {},
      } satisfies PortalClient,
    };
    return portal;
  }

  it('by default never waits more than 10 s between probes while offline, so a returning portal is noticed within 10 s', async () => {
    const start = Date.parse('2026-01-15T09:00:00Z');
    vi.useFakeTimers({ now: start });
    const portal = switchablePortal();
    const connection = createConnectionService({ portal: () => portal.client, emitter: createEmitter(), log: silentLogger });
    connection.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(connection.getState().state).toBe('offline');
    // Five minutes away: the waits grow, then stay at the cap.
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    const waits = portal.probes.slice(1).map((at, index) => at - portal.probes[index]!);
    expect(waits.slice(0, 4)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(Math.max(...waits)).toBe(10_000);
    // The portal comes back between two probes: the next probe (at most 10 s away) finds it.
    portal.isUp = true;
    const cameBackAt = Date.now();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(connection.getState().state).toBe('online');
    expect(Date.parse(connection.getState().checkedAt!) - cameBackAt).toBeLessThanOrEqual(10_000);
    connection.stop();
  });

  it('a probe asked for (the OS reported a network change) runs at once and restarts the backoff from its first step', async () => {
    const start = Date.parse('2026-01-15T09:00:00Z');
    vi.useFakeTimers({ now: start });
    const portal = switchablePortal();
    const connection = createConnectionService({ portal: () => portal.client, emitter: createEmitter(), log: silentLogger, initialBackoffMs: 1_000, maxBackoffMs: 60_000 });
    connection.start();
    await vi.advanceTimersByTimeAsync(60_000); // probes at 0, 1, 3, 7, 15, 31 s; the next one is 32 s away
    expect(portal.probes.map((at) => at - start)).toEqual([0, 1_000, 3_000, 7_000, 15_000, 31_000]);
    await expect(connection.probe()).resolves.toMatchObject({ state: 'offline' });
    expect(portal.probes.at(-1)! - start).toBe(60_000);
    portal.isUp = true;
    await vi.advanceTimersByTimeAsync(1_000); // not 32 s: the schedule started again
    expect(connection.getState().state).toBe('online');
    expect(portal.probes.map((at) => at - start).slice(6)).toEqual([60_000, 61_000]);
    connection.stop();
  });

  it('learns from ordinary calls and is unknown without a portal', async () => {
    const emitter = createEmitter();
    const connection = createConnectionService({ portal: () => null, emitter, log: silentLogger });
    connection.report(false);
    expect(connection.getState().state).toBe('offline');
    connection.report(true);
    expect(connection.getState().state).toBe('online');
    await expect(connection.probe()).resolves.toMatchObject({ state: 'unknown' });
    connection.stop();
  });
});

describe('credential store selection', () => {
  it('uses memory only when asked explicitly', async () => {
    expect(keychainKindFromEnvironment({})).toBe('os');
    expect(keychainKindFromEnvironment({ PORTAL_ADMIN_KEYCHAIN: 'memory' })).toBe('memory');
    expect(keychainKindFromEnvironment({ PORTAL_ADMIN_KEYCHAIN: 'yes' })).toBe('os');
    const store = createCredentialStore({ kind: 'memory' });
    await store.setPassword('Portal Admin', 'a|b', 'v');
    expect(await store.getPassword('Portal Admin', 'a|b')).toBe('v');
    expect(await store.deletePassword('Portal Admin', 'a|b')).toBe(true);
    expect(await store.getPassword('Portal Admin', 'a|b')).toBeNull();
  });
});
