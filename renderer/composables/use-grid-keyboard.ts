import { ref, watch, type Ref, type ShallowRef } from 'vue';

export interface GridKeyboardOptions {
  /** The grid element that holds the keyboard focus (keys typed on a control inside it are the control's). */
  grid: Readonly<ShallowRef<HTMLElement | null>>;
  /** How many rows there are in all. */
  rowCount: Readonly<Ref<number>>;
  columnCount: number;
  /** Rows that PageUp / PageDown move by. */
  rowsPerPage: Readonly<Ref<number>>;
  /** The column the rows are sorted by (where ↑ from the first row lands), or -1. */
  sortedColumn: () => number;
  sortBy: (column: number) => void;
  /** Enter on the current row. */
  open: () => void;
  ensureVisible: (index: number) => void;
  scrollToTop: () => void;
}

/**
 * The keyboard of an ARIA grid whose focus stays on the grid itself (`aria-activedescendant`
 * names the current cell): ↑/↓, PageUp/PageDown, Home/End move between rows, Enter opens one;
 * ↑ from the first row reaches the column headers, where ←/→ choose a column, Enter or Space
 * sorts by it and ↓ goes back to the rows.
 */
export function useGridKeyboard(options: GridKeyboardOptions) {
  const { grid, rowCount, columnCount, rowsPerPage } = options;
  const activeIndex = ref(0);
  /** A column header is current (reached with ↑ from the first row), or null: a row is. */
  const activeHeader = ref<number | null>(null);

  watch(rowCount, (value) => {
    if (activeIndex.value >= value) activeIndex.value = Math.max(0, value - 1);
  });

  function moveTo(index: number): void {
    if (rowCount.value === 0) return;
    activeIndex.value = Math.min(rowCount.value - 1, Math.max(0, index));
    options.ensureVisible(activeIndex.value);
  }

  /** Back to the first row, scrolled to the top (a new search or filter). */
  function reset(): void {
    activeIndex.value = 0;
    options.scrollToTop();
  }

  function onHeaderKeydown(event: KeyboardEvent, header: number): boolean {
    switch (event.key) {
      case 'ArrowLeft':
        activeHeader.value = Math.max(0, header - 1);
        return true;
      case 'ArrowRight':
        activeHeader.value = Math.min(columnCount - 1, header + 1);
        return true;
      case 'Home':
        activeHeader.value = 0;
        return true;
      case 'End':
        activeHeader.value = columnCount - 1;
        return true;
      case 'Enter':
      case ' ':
        options.sortBy(header);
        return true;
      case 'ArrowDown':
        activeHeader.value = null;
        moveTo(0);
        return true;
      default:
        return false;
    }
  }

  function onKeydown(event: KeyboardEvent): void {
    // Keys typed on a pencil button belong to the button (Enter/Space click it).
    if (event.target !== grid.value) return;
    if (activeHeader.value !== null) {
      if (onHeaderKeydown(event, activeHeader.value)) event.preventDefault();
      return;
    }
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        moveTo(activeIndex.value + 1);
        break;
      case 'ArrowUp':
        if (activeIndex.value === 0 || rowCount.value === 0) {
          activeHeader.value = options.sortedColumn();
          options.scrollToTop();
        } else moveTo(activeIndex.value - 1);
        break;
      case 'PageDown':
        moveTo(activeIndex.value + rowsPerPage.value);
        break;
      case 'PageUp':
        moveTo(activeIndex.value - rowsPerPage.value);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(rowCount.value - 1);
        break;
      case 'Enter':
        options.open();
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  }

  /** A click makes a row the current one. */
  function select(index: number): void {
    activeHeader.value = null;
    activeIndex.value = index;
  }

  return { activeIndex, activeHeader, moveTo, reset, select, onKeydown };
}
