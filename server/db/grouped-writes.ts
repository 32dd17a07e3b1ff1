import type { Queryable, RunResult, TransactionOptions } from './store';

/**
 * Group commit: statements asked for in the same turn of the event loop run in one transaction, so
 * they share one durable commit; each caller's promise settles once that commit is done (a failure
 * fails the whole group, and each caller may try again). For writes that many callers make at once
 * and that are each too small to be worth a commit of their own (the demo carriers' records of the
 * notices they took, which the dispatcher hands over a group at a time). `options` apply to each
 * group's transaction.
 */
export function groupedWrites(db: Queryable, options: TransactionOptions = {}): (sql: string, ...params: unknown[]) => Promise<RunResult> {
  let waiting: { sql: string; params: unknown[]; resolve: (result: RunResult) => void; reject: (error: unknown) => void }[] = [];

  async function commit(): Promise<void> {
    const group = waiting;
    waiting = [];
    try {
      const results = await db.transaction(async (tx) => {
        const answers: RunResult[] = [];
        for (const write of group) answers.push(await tx.run(write.sql, ...write.params));
        return answers;
      }, options);
      group.forEach((write, index) => write.resolve(results[index]!));
    } catch (error) {
      for (const write of group) write.reject(error);
    }
  }

  return (sql, ...params) =>
    new Promise<RunResult>((resolve, reject) => {
      waiting.push({ sql, params, resolve, reject });
      if (waiting.length === 1) setImmediate(() => void commit());
    });
}
