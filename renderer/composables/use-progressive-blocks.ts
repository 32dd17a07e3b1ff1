import { computed, onScopeDispose, ref, watch, type ComputedRef } from 'vue';

/**
 * A long list cut into blocks that are added to the page one block per animation frame: the first
 * block shows at once, and no single task renders the whole list (2,000 table rows at once freeze
 * the window for half a second). Each block is its own array, kept while the list stays the same,
 * so a block's rows are rendered once. A new list starts again from its first block.
 */
export function useProgressiveBlocks<T>(items: () => readonly T[], blockSize: number): { blocks: ComputedRef<(readonly T[])[]>; isComplete: ComputedRef<boolean> } {
  const all = computed(() => {
    const list = items();
    const blocks: (readonly T[])[] = [];
    for (let from = 0; from < list.length; from += blockSize) blocks.push(list.slice(from, from + blockSize));
    return blocks;
  });
  const shown = ref(1);
  let frame: number | null = null;
  const stop = (): void => {
    if (frame !== null) cancelAnimationFrame(frame);
    frame = null;
  };
  const next = (): void => {
    frame = null;
    if (shown.value >= all.value.length) return;
    shown.value += 1;
    frame = requestAnimationFrame(next);
  };
  watch(
    all,
    () => {
      stop();
      shown.value = 1;
      frame = requestAnimationFrame(next);
    },
    { immediate: true },
  );
  onScopeDispose(stop);
  return {
    blocks: computed(() => all.value.slice(0, shown.value)),
    isComplete: computed(() => shown.value >= all.value.length),
  };
}
