import { describe, expect, it } from 'vitest';
import { newIdempotencyKey } from '../../../../common/api';
import { IPC_CHANNELS } from '../../../../common/ipc';

describe('idempotency keys', () => {
  it('are fresh random UUIDs (v4)', () => {
    const keys = Array.from({ length: 50 }, () => newIdempotencyKey());
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(keys).size).toBe(keys.length);
  });

  // The window keeps one key for every retry of the same save, so main must not make its own:
  // a save without the window's key is refused at the gate instead of being given a new one.
  it.each(['employees:update', 'verification:confirm'] as const)('%s requires the caller’s key', (channel) => {
    const base = channel === 'employees:update'
      ? { id: 'acme-0002', version: 4, cellPhone: '+442079460000' }
      : { id: 'acme-0002', verificationId: 'v'.repeat(43), version: 4, code: '123456' };
    expect(IPC_CHANNELS[channel].input.safeParse(base).success).toBe(false);
    expect(IPC_CHANNELS[channel].input.safeParse({ ...base, idempotencyKey: newIdempotencyKey() }).success).toBe(true);
  });
});
