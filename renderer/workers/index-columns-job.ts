import { decodeEmployeeRows } from '../../common/ipc/employee-rows';
import { indexColumns, type IndexColumns } from '../lib/index-columns';

/** A page of the offline copy sent to the worker: its row block (common/ipc/employee-rows) as main gave it. */
export interface ColumnsRequest {
  id: number;
  rows: string;
}

/** The worker's answer: the block's index columns, or why it could not make them (the window then makes them itself). */
export type ColumnsAnswer = { id: number; columns: IndexColumns } | { id: number; error: string };

/** What the worker does with a request (kept apart from the worker's wiring, so tests run it as it is). */
export function answerColumns(request: ColumnsRequest): ColumnsAnswer {
  try {
    return { id: request.id, columns: indexColumns(decodeEmployeeRows(request.rows)) };
  } catch (error) {
    return { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The buffers an answer hands over rather than copies. */
export function transferablesOf(answer: ColumnsAnswer): Transferable[] {
  return 'columns' in answer ? [answer.columns.grams.buffer, answer.columns.attention.buffer] : [];
}
