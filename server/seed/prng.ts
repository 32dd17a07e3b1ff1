/**
 * A small seeded PRNG (mulberry32) for demo data: the same seed gives the same employees on every
 * machine and run. Not for anything secret: tokens, codes and salts use node:crypto.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, max). */
  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }

  /** One key of `table`, chosen with probability proportional to its weight. */
  weighted<K extends string>(table: WeightTable<K>): K {
    let roll = this.next() * table.total;
    for (const [key, weight] of table.entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return table.entries[table.entries.length - 1]![0];
  }
}

export interface WeightTable<K extends string> {
  entries: readonly (readonly [K, number])[];
  total: number;
}

/** `{US: 40, GB: 12}` → a table for Prng.weighted (built once, not per draw). */
export function weights<K extends string>(record: Readonly<Record<K, number>>): WeightTable<K> {
  const entries = Object.entries(record) as [K, number][];
  if (entries.length === 0) throw new Error('an empty weight table');
  return { entries, total: entries.reduce((sum, [, weight]) => sum + weight, 0) };
}
