/** "1 draft", "3 drafts", "0 drafts": a count with its noun (English plurals with -s). */
export function countOf(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : `${noun}s`}`;
}
