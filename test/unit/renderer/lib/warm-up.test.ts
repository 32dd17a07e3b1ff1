import { afterEach, describe, expect, it, vi } from 'vitest';
import { gridWarmUpSteps, runWhenIdle } from '../../../../renderer/lib/warm-up';

/** A stand-in for the browser's idle callbacks: the test says when an idle period comes and how long it is. */
function fakeIdle() {
  const waiting = new Map<number, IdleRequestCallback>();
  let nextHandle = 1;
  vi.stubGlobal('requestIdleCallback', (callback: IdleRequestCallback) => {
    waiting.set(nextHandle, callback);
    return nextHandle++;
  });
  vi.stubGlobal('cancelIdleCallback', (handle: number) => waiting.delete(handle));
  return {
    get pending() {
      return waiting.size;
    },
    idle(msLeft: number) {
      const [handle, callback] = [...waiting][0]!;
      waiting.delete(handle);
      callback({ didTimeout: false, timeRemaining: () => msLeft });
    },
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('runWhenIdle', () => {
  it('runs one step per idle period, in order, and none in a period too short for one', () => {
    const idle = fakeIdle();
    const ran: string[] = [];
    runWhenIdle([() => ran.push('a'), () => ran.push('b'), () => ran.push('c')]);
    expect(ran).toEqual([]);
    idle.idle(20);
    expect(ran).toEqual(['a']);
    idle.idle(2);
    expect(ran).toEqual(['a']);
    idle.idle(20);
    idle.idle(20);
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(idle.pending).toBe(0);
  });

  it('goes on after a step that throws, and stops when told', () => {
    const idle = fakeIdle();
    const ran: string[] = [];
    const stop = runWhenIdle([
      () => {
        throw new Error('broken');
      },
      () => ran.push('b'),
      () => ran.push('c'),
    ]);
    idle.idle(20);
    idle.idle(20);
    expect(ran).toEqual(['b']);
    stop();
    expect(idle.pending).toBe(0);
    expect(ran).toEqual(['b']);
  });
});

describe('gridWarmUpSteps', () => {
  it('every step runs without an error (the runner would hide one)', () => {
    const steps = gridWarmUpSteps(() => 'GB');
    expect(steps.length).toBeGreaterThan(5);
    for (const step of steps) expect(step).not.toThrow();
  });
});
