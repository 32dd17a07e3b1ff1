import { emailMatchKey, newIdempotencyKey, type LookupEmployee } from '../../../common/api';
import { mapColumns, removeNeutralizingQuote } from '../../../common/csv';
import type { ImportChange, ImportError } from '../../../common/ipc/import-channels';
import { phoneMessage } from '../../../common/phone';
import { validatePhoneWithPatternCache } from './phone-patterns';
import type { CsvTable } from './read-csv';
import { ImportFileProblem } from './read-csv';
import { readRowCountry } from './row-country';
import { createSlicer } from './slices';

/** A change found by the dry run, with what applying it needs. */
export interface PlannedChange extends ImportChange {
  idempotencyKey: string;
  /** The employee as the check saw it (the base of an offline draft). */
  employee: LookupEmployee;
}

export interface CheckResult {
  changes: PlannedChange[];
  unchanged: number;
  errors: ImportError[];
}

export interface CheckOptions {
  /** The company's country: how national numbers are read when the row names none. */
  companyCountry: string | null;
  onProgress?: (done: number, total: number) => void;
  newKey?: () => string;
  /**
   * The employees as they arrive (then `employees` is not read): a row is matched once `rowReady`
   * (by row index) has resolved, i.e. the answers that can hold its employee are in the index.
   */
  live?: { index: EmployeeIndex; rowReady(index: number): Promise<void> | null };
}

/** The portal's employees by id and by email match key. */
export interface EmployeeIndex {
  byId: Map<string, LookupEmployee>;
  byEmail: Map<string, LookupEmployee>;
}

export function addToIndex(index: EmployeeIndex, employees: readonly LookupEmployee[]): void {
  for (const employee of employees) {
    index.byId.set(employee.id, employee);
    index.byEmail.set(emailMatchKey(employee.email), employee);
  }
}

/** A change of `employee`'s number to `newPhone`, found on `row`, to be applied with `idempotencyKey`. */
export function plannedChange(row: number, employee: LookupEmployee, newPhone: string, warning: PlannedChange['warning'], idempotencyKey: string): PlannedChange {
  return {
    row,
    employeeId: employee.id,
    name: fullName(employee),
    email: employee.email,
    oldPhone: employee.cellPhone,
    newPhone,
    version: employee.version,
    warning,
    status: 'pending',
    message: null,
    idempotencyKey,
    employee,
  };
}

/** A cell as the check reads it: trimmed, a spreadsheet's neutralising quote removed. */
export function cellAt(cells: readonly string[], position: number | null): string {
  return position === null ? '' : removeNeutralizingQuote((cells[position] ?? '').trim());
}

function fullName(employee: LookupEmployee): string {
  return `${employee.firstName} ${employee.lastName}`.trim();
}

/** Shortens a cell quoted back in a message, so one absurd cell cannot flood the report. */
function quote(value: string): string {
  return `"${short(value)}"`;
}

/** A cell carried in an error for the window to quote: on one line, at most 60 characters. */
function short(value: string): string {
  const flat = value.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}…` : flat;
}

/**
 * The dry run: each row matched by employee id or email against the portal's employees, its number
 * checked with the same rules as the Edit Employee dialog. Sends nothing. Runs in slices.
 */
export async function checkRows(table: CsvTable, employees: readonly LookupEmployee[], options: CheckOptions): Promise<CheckResult> {
  const columns = mapColumns(table.header);
  if (columns.phone === null) {
    const found = table.header.filter((name) => name !== '').slice(0, 8);
    throw new ImportFileProblem(
      'no_phone_column',
      `The file has no phone number column. Name one "Cell phone number" (found: ${found.map(quote).join(', ') || 'no column names'}).`,
      { columns: found.map(short) },
    );
  }
  if (columns.id === null && columns.email === null) {
    throw new ImportFileProblem('no_match_column', 'The file has no "Employee ID" or "Email" column, so its rows cannot be matched to employees.');
  }
  const slicer = createSlicer();
  const { byId, byEmail } = options.live?.index ?? { byId: new Map<string, LookupEmployee>(), byEmail: new Map<string, LookupEmployee>() };
  if (!options.live) {
    for (const employee of employees) {
      addToIndex({ byId, byEmail }, [employee]);
      const pause = slicer.maybeYield();
      if (pause) await pause;
    }
  }
  const newKey = options.newKey ?? newIdempotencyKey;
  const errors: ImportError[] = [];
  /** Per employee: the first row that named them, and what it asked for. */
  const seen = new Map<string, { row: number; e164: string | null; change: PlannedChange | null }>();
  const changes: PlannedChange[] = [];
  const dropped = new Set<PlannedChange>();
  let unchanged = 0;
  const total = table.rows.length;

  for (let index = 0; index < total; index++) {
    const pause = slicer.maybeYield();
    if (pause) {
      options.onProgress?.(index, total);
      await pause;
    }
    const ready = options.live?.rowReady(index);
    if (ready) await ready;
    const { row, cells } = table.rows[index]!;
    const id = cellAt(cells, columns.id);
    const email = cellAt(cells, columns.email);
    const raw = cellAt(cells, columns.phone);

    const idMatch = id === '' ? undefined : byId.get(id);
    const emailMatch = email === '' ? undefined : byEmail.get(emailMatchKey(email));
    if (id === '' && email === '') {
      errors.push({ row, message: 'No employee id or email on this row.', code: 'no_employee_key' });
      continue;
    }
    if (idMatch && emailMatch && idMatch.id !== emailMatch.id) {
      errors.push({ row, message: `Employee id ${quote(id)} and email ${quote(email)} belong to two different employees.`, code: 'id_email_mismatch', value: short(id), email: short(email) });
      continue;
    }
    const employee = idMatch ?? emailMatch;
    if (!employee) {
      errors.push(id !== '' ? { row, message: `Unknown employee: no employee with id ${quote(id)} in your company.`, code: 'unknown_id', value: short(id) } : { row, message: `Unknown employee: no employee with email ${quote(email)} in your company.`, code: 'unknown_email', value: short(email) });
      continue;
    }
    const country = columns.country === null ? null : readRowCountry(cellAt(cells, columns.country));
    if (country === undefined) {
      errors.push({ row, message: `Unknown country ${quote(cellAt(cells, columns.country))} for ${fullName(employee)}. Use a two-letter code such as GB or DE, or leave it empty.`, code: 'unknown_country', value: short(cellAt(cells, columns.country)), name: fullName(employee) });
      continue;
    }
    if (raw === '') {
      errors.push({ row, message: `No cell phone number for ${fullName(employee)} (an import does not remove numbers).`, code: 'no_number', name: fullName(employee) });
      continue;
    }
    const phone = validatePhoneWithPatternCache(raw, country ?? options.companyCountry);
    const earlier = seen.get(employee.id);
    if (earlier) {
      if (phone.ok && earlier.e164 === phone.e164) {
        errors.push({ row, message: `Duplicate row for ${fullName(employee)}: row ${earlier.row} already has this number (this row is ignored).`, code: 'duplicate_same', name: fullName(employee), otherRow: earlier.row });
      } else {
        errors.push({ row, message: `Duplicate row for ${fullName(employee)}: row ${earlier.row} has a different number. Keep one row per employee.`, code: 'duplicate_different', name: fullName(employee), otherRow: earlier.row });
        if (earlier.change) {
          // Two different numbers for one person: neither is applied.
          dropped.add(earlier.change);
          errors.push({ row: earlier.row, message: `Duplicate row for ${fullName(employee)}: row ${row} has a different number. Keep one row per employee.`, code: 'duplicate_different', name: fullName(employee), otherRow: row });
          earlier.change = null;
        } else if (earlier.e164 !== null) {
          unchanged -= 1;
          errors.push({ row: earlier.row, message: `Duplicate row for ${fullName(employee)}: row ${row} has a different number. Keep one row per employee.`, code: 'duplicate_different', name: fullName(employee), otherRow: row });
          earlier.e164 = null;
        }
      }
      continue;
    }
    if (!phone.ok) {
      seen.set(employee.id, { row, e164: null, change: null });
      errors.push({ row, message: `Invalid number ${quote(raw)} for ${fullName(employee)}: ${phoneMessage(phone.reason)}`, code: 'invalid_number', value: short(raw), name: fullName(employee), reason: phone.reason });
      continue;
    }
    if (phone.e164 === employee.cellPhone) {
      seen.set(employee.id, { row, e164: phone.e164, change: null });
      unchanged += 1;
      continue;
    }
    const change = plannedChange(row, employee, phone.e164, phone.warning ?? null, newKey());
    seen.set(employee.id, { row, e164: phone.e164, change });
    changes.push(change);
  }
  options.onProgress?.(total, total);
  errors.sort((a, b) => a.row - b.row);
  return { changes: dropped.size === 0 ? changes : changes.filter((change) => !dropped.has(change)), unchanged, errors };
}
