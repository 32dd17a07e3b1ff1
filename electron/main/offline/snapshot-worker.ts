/**
 * The worker thread of the offline copy: seals (AES-256-GCM) and writes the employee list durably,
 * and reads, opens, migrates and validates it, so a 100,000-employee copy never holds main's event
 * loop (IPC keeps answering). Started by snapshot-sealer.ts; in the built app electron-vite bundles
 * this file on its own (out/main/chunks/snapshot-worker-*.cjs). Main keeps every decision: the write
 * count and its keychain record, what an unusable file means, where it is kept aside.
 */
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { Employee } from '../../../common/api';
import { writeFileAtomically } from '../infra/atomic-file';
import { openCounted, sealWithIv } from './sealed-box';
import { answerResident, keepResident } from './snapshot-resident';
import { migrate, unreadableReason } from './sealed-document';
import type { SnapshotRequest, SnapshotResponse } from './snapshot-messages';
import { SNAPSHOT_MIGRATIONS, SNAPSHOT_SCHEMA_VERSION, snapshotSchema, type Snapshot } from './snapshot-schema';

if (!parentPort) throw new Error('snapshot-worker runs as a worker thread only');
const port = parentPort;
/** The employees of each write in progress, a slice per `chunk`. */
const chunks = new Map<number, (readonly Employee[])[]>();
/** Opens whose employees are still being handed to main, a slice per `more`. */
const reading = new Map<number, { next: () => SnapshotResponse }>();

function answer(response: SnapshotResponse): void {
  port.postMessage(response);
}

/** The same text as JSON.stringify({...header, items}), made without one array of every employee. */
function documentText(header: Omit<Snapshot, 'items'>, slices: readonly (readonly Employee[])[]): string {
  const items = slices.filter((slice) => slice.length > 0).map((slice) => JSON.stringify(slice).slice(1, -1));
  return `${JSON.stringify(header).slice(0, -1)},"items":[${items.join(',')}]}`;
}

function seal(request: Extract<SnapshotRequest, { type: 'seal' }>): void {
  const key = Buffer.from(request.key.buffer, request.key.byteOffset, request.key.byteLength);
  try {
    const plaintext = documentText(request.header, chunks.get(request.id) ?? []);
    chunks.delete(request.id);
    const sealed = sealWithIv(key, plaintext, request.associatedData, request.generation);
    writeFileAtomically(request.file, sealed.text);
    answer({ id: request.id, type: 'sealed', iv: sealed.iv, bytes: sealed.text.length });
  } finally {
    key.fill(0);
  }
}

/** Reads, opens, migrates and validates the file: the document, or the answer that it cannot be used. */
function decode(request: { id: number; file: string; key: Uint8Array; associatedData: string }): { snapshot: Snapshot; generation: number; isMigrated: boolean } | SnapshotResponse {
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
    // Every employee is validated here, once, where the file's data enters (after authentication).
    return { snapshot: snapshotSchema.parse(migrated.data), generation: opened.generation, isMigrated: migrated.isMigrated };
  } catch (error) {
    return { id: request.id, type: 'unusable', reason: unreadableReason(error), detail: (error as { name?: string }).name ?? 'error' };
  } finally {
    key.fill(0);
  }
}

function open(request: Extract<SnapshotRequest, { type: 'open' }>): void {
  const decoded = decode(request);
  if ('type' in decoded) return answer(decoded);
  const { snapshot, generation, isMigrated } = decoded;
  const { items, ...header } = snapshot;
  let from = 0;
  const next = (): SnapshotResponse => {
    if (from >= items.length) {
      reading.delete(request.id);
      return { id: request.id, type: 'opened', header, generation, isMigrated };
    }
    const slice = items.slice(from, from + request.sliceSize);
    from += request.sliceSize;
    return { id: request.id, type: 'items', items: slice };
  };
  reading.set(request.id, { next });
  answer(next());
}

function openResident(request: Extract<SnapshotRequest, { type: 'open-resident' }>): void {
  const decoded = decode(request);
  if ('type' in decoded) return answer(decoded);
  const { items, ...header } = decoded.snapshot;
  keepResident(request.id, items);
  answer({ id: request.id, type: 'resident', header, generation: decoded.generation, isMigrated: decoded.isMigrated, size: items.length });
}

const failure = (request: SnapshotRequest, error: unknown): SnapshotResponse => ({
  id: request.id,
  type: 'failed',
  message: error instanceof Error ? error.message : String(error),
  code: (error as { code?: string }).code ?? null,
});

port.on('message', (request: SnapshotRequest) => {
  try {
    if (request.type === 'chunk') {
      const parts = chunks.get(request.id);
      if (parts) parts.push(request.items);
      else chunks.set(request.id, [request.items]);
    } else if (request.type === 'more') {
      const opening = reading.get(request.id);
      if (opening) answer(opening.next());
    } else if (request.type === 'seal') seal(request);
    else if (request.type === 'open') open(request);
    else if (request.type === 'open-resident') openResident(request);
    else {
      const response = answerResident(request);
      if (response instanceof Promise) response.then(answer, (error: unknown) => answer(failure(request, error)));
      else if (response) answer(response);
    }
  } catch (error) {
    chunks.delete(request.id);
    answer(failure(request, error));
  }
});
