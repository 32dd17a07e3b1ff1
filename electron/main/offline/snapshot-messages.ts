import type { Employee } from '../../../common/api';
import type { EmployeeRows } from '../../../common/ipc/employee-rows';
import type { UnreadableReason } from './sealed-document';
import type { SnapshotHeader } from './snapshot-schema';

/**
 * The messages between main (snapshot-sealer.ts) and the worker thread that seals and opens the
 * offline copy (snapshot-worker.ts). The data key travels in these messages, inside this process;
 * it is never written anywhere.
 */
export type SnapshotRequest =
  /**
   * Opens the file and keeps its employees in the worker (`copy` = this request's id): main holds the
   * header only, and reads pages, sends changes and asks for writes of that copy.
   */
  | { id: number; type: 'open-resident'; file: string; key: Uint8Array; associatedData: string }
  | { id: number; type: 'change'; copy: number; change: ResidentChange }
  /**
   * `pin`: a read by pages (offset 0 pins the rows as they are; the last page lets go). `asRows`: the
   * page as a row block for the window (common/ipc/employee-rows.ts), made here, not in main.
   */
  | { id: number; type: 'page'; copy: number; offset: number; limit: number; pin: boolean; asRows?: boolean }
  | { id: number; type: 'summary'; copy: number }
  /** Seals the copy's employees as they are when this message arrives, with main's header. */
  | { id: number; type: 'seal-copy'; copy: number; header: SnapshotHeader; file: string; key: Uint8Array; associatedData: string; generation: number | undefined }
  | { id: number; type: 'close'; copy: number };

/** A change to a copy kept in the worker, applied in the order the messages arrive. */
export type ResidentChange =
  /** Changed or new employees: the higher version wins; new ones go in name order. */
  | { kind: 'merge'; items: readonly Employee[] }
  | { kind: 'delete'; ids: readonly string[] }
  /** A whole new list, in slices: `replace` starts it, `append` adds the next slice. */
  | { kind: 'replace'; items: readonly Employee[] }
  | { kind: 'append'; items: readonly Employee[] };

export type SnapshotResponse =
  | { id: number; type: 'sealed'; iv: string; bytes: number }
  /** The file could not be read at all (it stays where it is). */
  | { id: number; type: 'unreadable_file'; code: string }
  /** The file was read but cannot be used (it is kept aside). */
  | { id: number; type: 'unusable'; reason: UnreadableReason; detail: string }
  | { id: number; type: 'failed'; message: string; code: string | null }
  | { id: number; type: 'resident'; header: SnapshotHeader; generation: number; isMigrated: boolean; size: number }
  | { id: number; type: 'changed'; size: number }
  | { id: number; type: 'page'; items: Employee[]; total: number }
  | { id: number; type: 'page-rows'; rows: EmployeeRows; total: number }
  | { id: number; type: 'summary'; size: number; newestUpdate: string | null }
  | { id: number; type: 'closed' };
