/**
 * `work` on every item, at most `lanes` at a time, started in the items' order; the answers come
 * back in the items' order whatever order they finish in. The first failure starts nothing more
 * and rejects with it (work already started is not cancelled).
 */
export async function mapInLanes<Item, Answer>(items: readonly Item[], lanes: number, work: (item: Item) => Promise<Answer>): Promise<Answer[]> {
  const answers = new Array<Answer>(items.length);
  let next = 0;
  let isFailed = false;
  const lane = async (): Promise<void> => {
    while (!isFailed && next < items.length) {
      const index = next++;
      try {
        answers[index] = await work(items[index]!);
      } catch (error) {
        isFailed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
  return answers;
}
