/**
 * Which masked phone numbers are shown on demand, each for a limited time: revealing a key (an
 * employee's id) shows it until `durationMs` have passed, it is hidden again, or everything is
 * (the window lost focus, the screen locked). Revealing a key again starts its time again.
 */
export interface RevealTimers {
  reveal(key: string): void;
  hide(key: string): void;
  hideAll(): void;
  isRevealed(key: string): boolean;
}

export interface RevealTimerOptions {
  durationMs: number;
  /** Called with the keys shown after every change (a new set each time). */
  onChange(revealed: ReadonlySet<string>): void;
}

export function createRevealTimers(options: RevealTimerOptions): RevealTimers {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const changed = () => options.onChange(new Set(timers.keys()));

  function stop(key: string): boolean {
    const timer = timers.get(key);
    if (timer === undefined) return false;
    // Looked up on each call, so a test clock installed later (Vitest, Playwright) is the one used.
    globalThis.clearTimeout(timer);
    timers.delete(key);
    return true;
  }

  return {
    reveal(key) {
      stop(key);
      timers.set(
        key,
        globalThis.setTimeout(() => {
          timers.delete(key);
          changed();
        }, options.durationMs),
      );
      changed();
    },
    hide(key) {
      if (stop(key)) changed();
    },
    hideAll() {
      if (timers.size === 0) return;
      for (const key of [...timers.keys()]) stop(key);
      changed();
    },
    isRevealed: (key) => timers.has(key),
  };
}
