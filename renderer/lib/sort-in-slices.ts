/**
 * A stable merge sort of positions that gives the main thread back every few milliseconds, so
 * sorting 100,000 employees never blocks typing or painting (one Array#sort of that size takes
 * 70–200 ms: a long task). Runs are sorted with the engine's sort, then merged bottom-up.
 */
export type Compare = (a: number, b: number) => number;

const RUN = 2048;
const CHECK_EVERY = 1024;

export function yieldToMain(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export async function sortInSlices(input: Uint32Array, compare: Compare, budgetMs = 8): Promise<Uint32Array> {
  const n = input.length;
  let source = input.slice();
  let sliceStart = performance.now();
  const maybeYield = async (): Promise<void> => {
    if (performance.now() - sliceStart >= budgetMs) {
      await yieldToMain();
      sliceStart = performance.now();
    }
  };

  for (let start = 0; start < n; start += RUN) {
    source.subarray(start, Math.min(start + RUN, n)).sort(compare);
    await maybeYield();
  }

  let target = new Uint32Array(n);
  for (let width = RUN; width < n; width *= 2) {
    for (let left = 0; left < n; left += 2 * width) {
      const middle = Math.min(left + width, n);
      const right = Math.min(left + 2 * width, n);
      let i = left;
      let j = middle;
      let k = left;
      while (i < middle && j < right) {
        // `<= 0` keeps equal elements in their earlier order: the sort stays stable.
        target[k++] = compare(source[i]!, source[j]!) <= 0 ? source[i++]! : source[j++]!;
        if ((k & (CHECK_EVERY - 1)) === 0) await maybeYield();
      }
      while (i < middle) target[k++] = source[i++]!;
      while (j < right) target[k++] = source[j++]!;
    }
    [source, target] = [target, source];
    await maybeYield();
  }
  return source;
}

/** The same order, computed in one go (for small inputs and tests). */
export function sortNow(input: Uint32Array, compare: Compare): Uint32Array {
  return input.slice().sort(compare);
}
