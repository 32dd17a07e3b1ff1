import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../../electron/main/log';
import { probeOnWake } from '../../../../electron/main/shell/probe-on-wake';

describe('probe on wake', () => {
  it('probes the portal when the computer resumes or the screen unlocks, until stopped', () => {
    const power = new EventEmitter();
    const connection = { probe: vi.fn(async () => undefined) };
    const stop = probeOnWake(power, connection, silentLogger);
    power.emit('resume');
    power.emit('unlock-screen');
    expect(connection.probe).toHaveBeenCalledTimes(2);
    stop();
    power.emit('resume');
    expect(connection.probe).toHaveBeenCalledTimes(2);
    expect(power.listenerCount('resume') + power.listenerCount('unlock-screen')).toBe(0);
  });
});
