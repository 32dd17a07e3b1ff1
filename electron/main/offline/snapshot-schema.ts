import { z } from 'zod';
import { userSchema, employeeSchema } from '../../../common/api';
import { encodeEmployeeRows } from '../../../common/ipc/employee-rows';
import type { Migrations } from './sealed-document';

/**
 * What the offline copy of the employee list holds (employee-snapshot.ts); read by main and by the
 * worker thread that opens the file (snapshot-worker.ts).
 *
 * Version 2 keeps the employees as one row block (common/ipc/employee-rows.ts), the form the window
 * reads them in: opening the copy checks the rows with the block reader and keeps them as they are,
 * so no employee object is built, checked with zod or encoded again for every page (version 1 held
 * them as JSON objects: at 100,000 employees that cost seconds of the worker's time at every restart).
 */
export const SNAPSHOT_SCHEMA_VERSION = 2;
export const snapshotSchema = z.strictObject({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  user: userSchema.nullable(),
  /** When this computer last brought the copy up to date (ISO). */
  syncedAt: z.string().nullable(),
  /** The portal's time (`asOf`) the copy is current to: where the next `changedSince` delta starts (absent in older copies). */
  portalAsOf: z.string().nullable().optional(),
  /** The employees in the portal's name order, as a row block (checked row by row with splitEmployeeRows). */
  rows: z.string(),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

/** A copy of version 1 (the employees as JSON objects): each one checked with the employee schema, then made rows. */
const version1Items = z.array(employeeSchema);

export const SNAPSHOT_MIGRATIONS: Migrations = {
  1: ({ items, ...rest }) => ({ ...rest, schemaVersion: 2, rows: encodeEmployeeRows(version1Items.parse(items)) }),
};
/** Everything of the copy but its rows: what main holds (the rows stay in the worker). */
export type SnapshotHeader = Omit<Snapshot, 'rows'>;
