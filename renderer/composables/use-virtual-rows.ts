import { computed, onBeforeUnmount, onMounted, ref, shallowRef, watch, type Ref, type ShallowRef, type WatchSource } from 'vue';

/** happy-dom and hidden windows report no size: assume a typical viewport. */
const FALLBACK_HEIGHT = 600;

export interface VirtualRowsOptions<Row> {
  /** The scrolling element (its height is the viewport; it holds a sticky header of `headerHeight`). */
  scroller: Readonly<ShallowRef<HTMLElement | null>>;
  /** How many rows there are in all. */
  count: Readonly<Ref<number>>;
  rowHeight: number;
  headerHeight: number;
  /** Rows rendered beyond either edge of the viewport. */
  overscan: number;
  /** What the rows are made from: when any of them changes, the rows in view are made again. */
  sources: WatchSource[];
  /** Makes the row at `index` (called only for the rows in view). */
  makeRow: (index: number) => Row;
}

/**
 * A list that renders only the rows in view (plus `overscan` either side) at a fixed row height,
 * so 100,000 rows cost what 30 do. Tracks the scroller's size and scroll position and scrolls
 * on request.
 */
export function useVirtualRows<Row>(options: VirtualRowsOptions<Row>) {
  const { scroller, count, rowHeight, headerHeight, overscan } = options;
  const scrollTop = ref(0);
  const viewportHeight = ref(FALLBACK_HEIGHT);

  const bodyHeight = computed(() => Math.max(0, viewportHeight.value - headerHeight));
  const rowsPerPage = computed(() => Math.max(1, Math.floor(bodyHeight.value / rowHeight)));
  const firstIndex = computed(() => Math.max(0, Math.floor(scrollTop.value / rowHeight) - overscan));
  const endIndex = computed(() => Math.min(count.value, Math.ceil((scrollTop.value + bodyHeight.value) / rowHeight) + overscan));

  const rows = shallowRef<Row[]>([]);
  // A watchEffect-like recomputation, but only of the rows in view: the sources may be frozen
  // plain data (no reactivity), so the caller names what says when any of them changed.
  watch(
    [...options.sources, firstIndex, endIndex],
    () => {
      const out: Row[] = [];
      for (let index = firstIndex.value; index < endIndex.value; index++) out.push(options.makeRow(index));
      rows.value = out;
    },
    { immediate: true },
  );

  function onScroll(): void {
    scrollTop.value = scroller.value?.scrollTop ?? 0;
  }

  let resizeObserver: ResizeObserver | null = null;
  function measure(): void {
    const height = scroller.value?.clientHeight ?? 0;
    viewportHeight.value = height > 0 ? height : FALLBACK_HEIGHT;
  }
  onMounted(() => {
    measure();
    if (typeof ResizeObserver === 'function' && scroller.value) {
      resizeObserver = new ResizeObserver(measure);
      resizeObserver.observe(scroller.value);
    }
  });
  onBeforeUnmount(() => resizeObserver?.disconnect());

  function scrollToTop(): void {
    // Writing scrollTop forces a layout even when it is already 0.
    if (scroller.value && scrollTop.value !== 0) scroller.value.scrollTop = 0;
    scrollTop.value = 0;
  }

  /** Scrolls just enough for row `index` to be fully in view below the sticky header. */
  function ensureVisible(index: number): void {
    const element = scroller.value;
    const top = index * rowHeight;
    let next = scrollTop.value;
    if (top < next) next = top;
    else if (top + rowHeight > next + bodyHeight.value) next = top + rowHeight - bodyHeight.value;
    if (next !== scrollTop.value) {
      if (element) element.scrollTop = next;
      scrollTop.value = element ? element.scrollTop || next : next;
    }
  }

  return { rows, rowsPerPage, onScroll, scrollToTop, ensureVisible };
}
