import type { Db } from '../db/connection';

// Filled in by the employees work: deterministic demo companies and employees.
export function seedDemo(_db: Db, _options: { employees: number; now: Date; dataKey: Buffer }): void {}
