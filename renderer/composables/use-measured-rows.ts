import { computed, nextTick, onBeforeUnmount, onMounted, ref, watch, type ComputedRef, type ShallowRef } from 'vue';

/** happy-dom and hidden windows report no size: assume a typical viewport. */
const FALLBACK_HEIGHT = 600;

export interface MeasuredRowsOptions<Item> {
  /** The scrolling element: a sticky header of `headerHeight`, then the rows, then the space below. */
  scroller: Readonly<ShallowRef<HTMLElement | null>>;
  /** The rows; a new list (e.g. after Apply) is measured afresh. */
  items: () => readonly Item[];
  /** A row's expected height in pixels, until it has been rendered and measured. */
  estimate: number;
  headerHeight: number;
  /** Pixels rendered beyond either edge of the viewport. */
  overscan: number;
}

export interface MeasuredRows<Item> {
  /** The rows to render, each with its index in the whole list. */
  rows: ComputedRef<{ index: number; item: Item }[]>;
  /** Space above and below the rendered rows, so the scrollbar reflects the whole list. */
  spaceAbove: ComputedRef<number>;
  spaceBelow: ComputedRef<number>;
  onScroll(): void;
}

/**
 * A table that renders only the rows in view (plus `overscan` pixels either side), for rows whose
 * height depends on their text (a name and email on two lines, a note that may wrap): each rendered
 * row is measured after it is painted (`data-index` on its `<tr>`), unmeasured rows count as
 * `estimate`, and the space above and below stands for the rows not rendered. 2,000 rows cost what
 * 20 do. The grid's use-virtual-rows.ts is the fixed-height sibling.
 */
export function useMeasuredRows<Item>(options: MeasuredRowsOptions<Item>): MeasuredRows<Item> {
  const { scroller, estimate, headerHeight, overscan } = options;
  const scrollTop = ref(0);
  const viewportHeight = ref(FALLBACK_HEIGHT);
  /** Measured heights by index (0: not measured yet); `revision` says when any changed. */
  let heights = new Float64Array(0);
  const revision = ref(0);

  const list = computed(() => options.items());
  watch(
    list,
    (items) => {
      heights = new Float64Array(items.length);
      revision.value += 1;
    },
    { immediate: true },
  );

  /** offsets[i]: where row i starts below the header; offsets[count]: every row's height. */
  const offsets = computed(() => {
    void revision.value;
    const count = list.value.length;
    const result = new Float64Array(count + 1);
    for (let index = 0; index < count; index++) result[index + 1] = result[index]! + (heights[index] || estimate);
    return result;
  });

  /** The last row starting at or above `position` (below the header). */
  function rowAt(position: number): number {
    const starts = offsets.value;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= position) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  const range = computed(() => {
    const count = list.value.length;
    const top = scrollTop.value - headerHeight;
    const first = Math.min(count, rowAt(Math.max(0, top - overscan)));
    const end = Math.min(count, rowAt(top + viewportHeight.value + overscan) + 1);
    return { first, end: Math.max(first, end) };
  });

  const rows = computed(() => {
    const items = list.value;
    const { first, end } = range.value;
    const out: { index: number; item: Item }[] = [];
    for (let index = first; index < end; index++) out.push({ index, item: items[index]! });
    return out;
  });
  const spaceAbove = computed(() => offsets.value[range.value.first]!);
  const spaceBelow = computed(() => offsets.value[list.value.length]! - offsets.value[range.value.end]!);

  /** Reads the rendered rows' heights; a change moves the offsets (and maybe which rows are in view). */
  function measure(): void {
    const element = scroller.value;
    if (!element) return;
    let isChanged = false;
    for (const row of element.querySelectorAll<HTMLElement>('tr[data-index]')) {
      const index = Number(row.dataset.index);
      const height = row.getBoundingClientRect().height;
      // No layout (happy-dom, a hidden window): keep the estimate.
      if (!(height > 0) || index >= heights.length || Math.abs(heights[index]! - height) < 0.5) continue;
      heights[index] = height;
      isChanged = true;
    }
    if (isChanged) revision.value += 1;
  }
  watch(rows, () => void nextTick(measure), { flush: 'post' });

  function onScroll(): void {
    scrollTop.value = scroller.value?.scrollTop ?? 0;
  }

  let resizeObserver: ResizeObserver | null = null;
  function measureViewport(): void {
    const height = scroller.value?.clientHeight ?? 0;
    viewportHeight.value = height > 0 ? height : FALLBACK_HEIGHT;
    // A new width re-wraps the rows' text: measure them again.
    measure();
  }
  onMounted(() => {
    measureViewport();
    measure();
    if (typeof ResizeObserver === 'function' && scroller.value) {
      resizeObserver = new ResizeObserver(measureViewport);
      resizeObserver.observe(scroller.value);
    }
  });
  onBeforeUnmount(() => resizeObserver?.disconnect());

  return { rows, spaceAbove, spaceBelow, onScroll };
}
