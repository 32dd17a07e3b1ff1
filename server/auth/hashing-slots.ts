import { availableParallelism } from 'node:os';

/**
 * A bound on concurrent password hashing. Each scrypt costs ~32 MiB and tens of milliseconds of a
 * core; a flood of sign-ins would otherwise queue without end in libuv's thread pool, starving
 * every other request (and exhausting memory). At most `running` hashes run at once and `waiting`
 * more wait their turn; beyond that a sign-in is refused at once (503 + Retry-After) before any
 * work is done for it.
 */
export class HashingSlots {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    readonly running = Math.max(2, Math.min(4, availableParallelism())),
    readonly waiting = 16,
  ) {}

  /** Runs `work` in a slot, or returns null at once when every slot and waiting place is taken. */
  async run<T>(work: () => Promise<T>): Promise<{ value: T } | null> {
    if (this.active >= this.running) {
      if (this.queue.length >= this.waiting) return null;
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.active++;
    }
    try {
      return { value: await work() };
    } finally {
      const next = this.queue.shift();
      // The slot passes straight to the next waiter (active stays the same), else it is freed.
      if (next) next();
      else this.active--;
    }
  }
}
