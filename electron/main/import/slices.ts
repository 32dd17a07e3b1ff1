/**
 * Long work in main runs in slices: a slice stops after `budgetMs` and lets the event loop run
 * (IPC, timers, the window's events) before the next one, so main never stalls for long.
 */
export interface Slicer {
  /** Call between units of work; yields to the event loop once the slice's budget is used. */
  maybeYield(): Promise<void> | null;
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function createSlicer(budgetMs = 8, now: () => number = () => performance.now()): Slicer {
  let sliceStart = now();
  let counter = 0;
  return {
    maybeYield() {
      // Reading the clock costs more than most units of work: look at it every 64 units.
      if ((++counter & 63) !== 0) return null;
      if (now() - sliceStart < budgetMs) return null;
      return yieldToEventLoop().then(() => {
        sliceStart = now();
      });
    },
  };
}
