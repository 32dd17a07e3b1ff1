import { fitsRows, type IndexColumns } from '../lib/index-columns';
import type { ColumnsAnswer, ColumnsRequest } from '../workers/index-columns-job';

/** The part of a Worker used here (tests pass one that answers in the same thread). */
export interface ColumnsWorker {
  postMessage(message: ColumnsRequest): void;
  onmessage: ((event: MessageEvent<ColumnsAnswer>) => void) | null;
  onerror: ((event: Event) => void) | null;
  onmessageerror: ((event: MessageEvent) => void) | null;
  terminate(): void;
}

export type ColumnsWorkerFactory = () => ColumnsWorker;

/** The real worker; null where the window has no Web Workers (then the window makes the columns itself). */
export function defaultColumnsWorkerFactory(): ColumnsWorkerFactory | null {
  if (typeof Worker !== 'function') return null;
  return () => new Worker(new URL('../workers/index-columns.worker.ts', import.meta.url), { type: 'module', name: 'index-columns' }) as ColumnsWorker;
}

/**
 * Asks a worker for the index columns of offline-copy pages while the window reads the next page.
 * Never fails: a worker that cannot start, breaks, or sends something unusable answers null, and the
 * caller indexes the page in the window as before (the same columns, see lib/index-columns).
 */
export class IndexColumnsClient {
  private worker: ColumnsWorker | null = null;
  private broken = false;
  private nextId = 0;
  private readonly waiting = new Map<number, { count: number; resolve: (columns: IndexColumns | null) => void }>();

  constructor(private readonly factory: ColumnsWorkerFactory | null = defaultColumnsWorkerFactory()) {}

  /** The columns of a row block of `count` rows, or null (make them in the window). */
  columnsOf(rows: string, count: number): Promise<IndexColumns | null> {
    const worker = this.start();
    if (worker === null) return Promise.resolve(null);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, { count, resolve });
      try {
        worker.postMessage({ id, rows });
      } catch {
        this.fail();
      }
    });
  }

  /** Stops the worker (a load ended); pending requests answer null. A later request starts a new one. */
  close(): void {
    this.worker?.terminate();
    this.worker = null;
    this.settleAll();
  }

  private start(): ColumnsWorker | null {
    if (this.worker !== null) return this.worker;
    if (this.broken || this.factory === null) return null;
    try {
      const worker = this.factory();
      worker.onmessage = (event) => this.answered(event.data);
      worker.onerror = () => this.fail();
      worker.onmessageerror = () => this.fail();
      this.worker = worker;
      return worker;
    } catch {
      this.broken = true;
      return null;
    }
  }

  private answered(answer: ColumnsAnswer): void {
    const entry = this.waiting.get(answer.id);
    if (entry === undefined) return;
    this.waiting.delete(answer.id);
    entry.resolve('columns' in answer && fitsRows(answer.columns, entry.count) ? answer.columns : null);
  }

  /** The worker broke (could not load, threw): no more requests go to a worker in this window. */
  private fail(): void {
    this.broken = true;
    this.worker?.terminate();
    this.worker = null;
    this.settleAll();
  }

  private settleAll(): void {
    for (const entry of this.waiting.values()) entry.resolve(null);
    this.waiting.clear();
  }
}
