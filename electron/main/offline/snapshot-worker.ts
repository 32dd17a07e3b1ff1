/**
 * The worker thread of the offline copy: seals (AES-256-GCM) and writes the employee list durably,
 * and reads, opens, migrates and validates it, so a 100,000-employee copy never holds main's event
 * loop (IPC keeps answering). Started by snapshot-sealer.ts; in the built app electron-vite bundles
 * this file on its own (out/main/chunks/snapshot-worker-*.cjs). Main keeps every decision: the write
 * count and its keychain record, what an unusable file means, where it is kept aside.
 */
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { openCounted } from './sealed-box';
import { answerResident, keepResident } from './snapshot-resident';
import { migrate, unreadableReason } from './sealed-document';
import type { SnapshotRequest, SnapshotResponse } from './snapshot-messages';
import { splitEmployeeRows } from '../../../common/ipc/employee-rows';
import { SNAPSHOT_MIGRATIONS, SNAPSHOT_SCHEMA_VERSION, snapshotSchema, type SnapshotHeader } from './snapshot-schema';

if (!parentPort) throw new Error('snapshot-worker runs as a worker thread only');
const port = parentPort;
function answer(response: SnapshotResponse): void {
  port.postMessage(response);
}

/** Reads, opens, migrates and validates the file: the document, or the answer that it cannot be used. */
function decode(request: { id: number; file: string; key: Uint8Array; associatedData: string }): { header: SnapshotHeader; rows: string[]; generation: number; isMigrated: boolean } | SnapshotResponse {
  const key = Buffer.from(request.key.buffer, request.key.byteOffset, request.key.byteLength);
  let text: string;
  try {
    text = readFileSync(request.file, 'utf8');
  } catch (error) {
    key.fill(0);
    return { id: request.id, type: 'unreadable_file', code: (error as { code?: string }).code ?? 'error' };
  }
  try {
    const opened = openCounted(key, text, request.associatedData);
    const migrated = migrate(JSON.parse(opened.plaintext) as unknown, SNAPSHOT_SCHEMA_VERSION, SNAPSHOT_MIGRATIONS);
    const { rows, ...header } = snapshotSchema.parse(migrated.data);
    // Every row is checked here, once, where the file's data enters (after authentication), and kept as it is.
    return { header, rows: splitEmployeeRows(rows), generation: opened.generation, isMigrated: migrated.isMigrated };
  } catch (error) {
    return { id: request.id, type: 'unusable', reason: unreadableReason(error), detail: (error as { name?: string }).name ?? 'error' };
  } finally {
    key.fill(0);
  }
}

function openResident(request: Extract<SnapshotRequest, { type: 'open-resident' }>): void {
  const decoded = decode(request);
  if ('type' in decoded) return answer(decoded);
  keepResident(request.id, decoded.rows);
  answer({ id: request.id, type: 'resident', header: decoded.header, generation: decoded.generation, isMigrated: decoded.isMigrated, size: decoded.rows.length });
}

const failure = (request: SnapshotRequest, error: unknown): SnapshotResponse => ({
  id: request.id,
  type: 'failed',
  message: error instanceof Error ? error.message : String(error),
  code: (error as { code?: string }).code ?? null,
});

port.on('message', (request: SnapshotRequest) => {
  try {
    if (request.type === 'open-resident') openResident(request);
    else {
      const response = answerResident(request);
      if (response instanceof Promise) response.then(answer, (error: unknown) => answer(failure(request, error)));
      else if (response) answer(response);
    }
  } catch (error) {
    answer(failure(request, error));
  }
});
