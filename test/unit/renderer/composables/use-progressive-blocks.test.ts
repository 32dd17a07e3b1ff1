import { afterEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick, shallowRef } from 'vue';
import { useProgressiveBlocks } from '../../../../renderer/composables/use-progressive-blocks';

/** Animation frames run by hand: `frame()` runs the callbacks asked for so far. */
function frames() {
  let waiting: FrameRequestCallback[] = [];
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => waiting.push(callback));
  vi.stubGlobal('cancelAnimationFrame', (id: number) => {
    waiting[id - 1] = () => {};
  });
  return {
    frame() {
      const now = waiting;
      waiting = [];
      for (const callback of now) callback(0);
    },
    pending: () => waiting.length,
  };
}

afterEach(() => vi.unstubAllGlobals());

describe('useProgressiveBlocks', () => {
  it('shows the first block at once, then one more block per frame until every item is shown', () => {
    const clock = frames();
    const items = shallowRef(Array.from({ length: 250 }, (_, index) => index));
    const scope = effectScope();
    const { blocks, isComplete } = scope.run(() => useProgressiveBlocks(() => items.value, 100))!;
    expect(blocks.value.map((block) => block.length)).toEqual([100]);
    expect(isComplete.value).toBe(false);
    clock.frame();
    expect(blocks.value.map((block) => block.length)).toEqual([100, 100]);
    clock.frame();
    expect(blocks.value.flat()).toEqual(items.value);
    expect(isComplete.value).toBe(true);
    clock.frame();
    expect(clock.pending()).toBe(0);
    scope.stop();
  });

  it('keeps each shown block (the same array) while more are added, and starts again from the first block for a new list', async () => {
    const clock = frames();
    const items = shallowRef(Array.from({ length: 300 }, (_, index) => index));
    const scope = effectScope();
    const { blocks, isComplete } = scope.run(() => useProgressiveBlocks(() => items.value, 100))!;
    const first = blocks.value[0];
    clock.frame();
    expect(blocks.value[0]).toBe(first);
    items.value = ['a', 'b', 'c'].flatMap((letter) => Array.from({ length: 60 }, (_, index) => `${letter}${index}`)) as unknown as number[];
    await nextTick();
    expect(blocks.value.map((block) => block.length)).toEqual([100]);
    expect(isComplete.value).toBe(false);
    clock.frame();
    expect(blocks.value.flat()).toEqual(items.value);
    expect(isComplete.value).toBe(true);
    scope.stop();
  });

  it('a short list is complete at once; stopping the scope cancels the next frame', () => {
    const clock = frames();
    const scope = effectScope();
    const { blocks, isComplete } = scope.run(() => useProgressiveBlocks(() => [1, 2, 3], 100))!;
    expect(blocks.value).toEqual([[1, 2, 3]]);
    expect(isComplete.value).toBe(true);
    const long = effectScope();
    const growing = long.run(() => useProgressiveBlocks(() => Array.from({ length: 500 }, (_, index) => index), 100))!;
    long.stop();
    clock.frame();
    expect(growing.blocks.value).toHaveLength(1);
    scope.stop();
  });
});
