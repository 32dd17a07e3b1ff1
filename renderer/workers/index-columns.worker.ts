/*
 * A Web Worker of the window (same origin, no Node, no bridge): makes the Manage Employees index's
 * columns for a page of the offline copy — search text and its bits, digits, the landline check —
 * off the window's main thread. See services/index-columns-client.ts.
 */
import { answerColumns, transferablesOf, type ColumnsRequest } from './index-columns-job';

self.onmessage = (event: MessageEvent<ColumnsRequest>) => {
  const answer = answerColumns(event.data);
  self.postMessage(answer, { transfer: transferablesOf(answer) });
};
