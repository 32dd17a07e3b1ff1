import { z } from 'zod';
import { userSchema, employeeSchema } from '../../../common/api';
import type { Migrations } from './sealed-document';

/**
 * What the offline copy of the employee list holds (employee-snapshot.ts); read by main and by the
 * worker thread that opens the file (snapshot-worker.ts).
 */
export const SNAPSHOT_SCHEMA_VERSION = 1;
export const snapshotSchema = z.strictObject({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  user: userSchema.nullable(),
  /** When this computer last brought the copy up to date (ISO). */
  syncedAt: z.string().nullable(),
  /** The portal's time (`asOf`) the copy is current to: where the next `changedSince` delta starts (absent in older copies). */
  portalAsOf: z.string().nullable().optional(),
  items: z.array(employeeSchema),
});
export type Snapshot = z.infer<typeof snapshotSchema>;
export const SNAPSHOT_MIGRATIONS: Migrations = {};
