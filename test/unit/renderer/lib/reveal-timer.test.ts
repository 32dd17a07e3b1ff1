import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRevealTimers } from '../../../../renderer/lib/reveal-timer';

describe('reveal timers (privacy mode)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setUp() {
    const changes: string[][] = [];
    const timers = createRevealTimers({ durationMs: 30_000, onChange: (revealed) => changes.push([...revealed].sort()) });
    return { timers, changes };
  }

  it('shows a number for 30 seconds, then masks it again', () => {
    const { timers, changes } = setUp();
    timers.reveal('e-1');
    expect(timers.isRevealed('e-1')).toBe(true);
    vi.advanceTimersByTime(29_999);
    expect(timers.isRevealed('e-1')).toBe(true);
    vi.advanceTimersByTime(1);
    expect(timers.isRevealed('e-1')).toBe(false);
    expect(changes).toEqual([['e-1'], []]);
  });

  it('each number has its own time; revealing again starts it again', () => {
    const { timers } = setUp();
    timers.reveal('e-1');
    vi.advanceTimersByTime(20_000);
    timers.reveal('e-2');
    timers.reveal('e-1');
    vi.advanceTimersByTime(20_000);
    expect([timers.isRevealed('e-1'), timers.isRevealed('e-2')]).toEqual([true, true]);
    vi.advanceTimersByTime(10_000);
    expect([timers.isRevealed('e-1'), timers.isRevealed('e-2')]).toEqual([false, false]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('hide and hideAll mask at once and leave no timer behind; nothing to hide is no change', () => {
    const { timers, changes } = setUp();
    timers.hideAll();
    timers.hide('e-9');
    expect(changes).toEqual([]);
    timers.reveal('e-1');
    timers.reveal('e-2');
    timers.hide('e-1');
    expect(changes.at(-1)).toEqual(['e-2']);
    timers.hideAll();
    expect(changes.at(-1)).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(60_000);
    expect(changes).toHaveLength(4);
  });
});
