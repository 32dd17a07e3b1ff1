/*
 * Employee rows as one compact text block: how `employees:list-offline` carries a page of the
 * offline copy. The copy's worker keeps its rows in this form (its file holds them so; each row was
 * checked with this reader when the file was opened) and joins a page of them, main passes it on
 * as it is (a bounded string: nothing parsed, nothing built), and the window reads it with one
 * split and cheap checks per row. Far fewer bytes than JSON objects: no keys, no quotes, enums as
 * one letter — the bytes are what the window pays for (browser mode receives the rows as WebSocket
 * text), and a string crosses Electron's structured clone as one copy.
 *
 * Zod-free on purpose (the window reads it; see result.ts).
 *
 * Format, version 1: tokens separated by U+007F (DEL: JSON leaves it as one byte, no escape):
 *   "E1", the number of rows, then 11 tokens per row:
 *   id, firstName, lastName, email, flags, cellPhone, lastLoginAt, updatedAt, version, updatedBy, phoneVerifiedAt
 *   flags: 4 letters — role, twoFactor.status, twoFactor.method ("-": null), lockedOut ("-": absent, "0", "1")
 *   version: base 36
 *   a text: "~" null, "!" absent, "%" + the text with "%" as "%25" and DEL as "%7F" (a text holding DEL
 *     or starting with one of ~ ! %), else the text itself.
 */
import { EMPLOYEE_ID_PATTERN, EMPLOYEE_TEXT_LIMITS as LIMITS, ROLES, TWO_FACTOR_METHODS, TWO_FACTOR_STATUSES, type Employee } from '../api/employee';

/** A page of employees as a row block (see above). */
export type EmployeeRows = string;

const SEPARATOR = '\u007f';
const MAGIC = 'E1';
const TOKENS_PER_ROW = 11;
/** The longest row the employee schema allows, as a block (texts at their limits, all escaped). */
const MAX_ROW_CHARS = 3 * (64 + 2 * LIMITS.name + LIMITS.email + LIMITS.cellPhone + LIMITS.updatedBy) + 4 * 40 + 16;
/** The largest block a page of `maxRows` can make: the channel's bound. */
export const maxEmployeeRowsChars = (maxRows: number): number => 32 + maxRows * (MAX_ROW_CHARS + TOKENS_PER_ROW);

const ROLE_LETTERS = 'abts';
const STATUS_LETTERS = 'anp';
const METHOD_LETTERS = 'svt';
const VERSION_PATTERN = /^[1-9a-z][0-9a-z]{0,10}$/;
const COUNT_PATTERN = /^(0|[1-9]\d{0,8})$/;
const NEEDS_ESCAPE = /^[~!%]|\u007f/;

function text(value: string): string {
  return NEEDS_ESCAPE.test(value) ? `%${value.replaceAll('%', '%25').replaceAll(SEPARATOR, '%7F')}` : value;
}
function optional(value: string | null | undefined): string {
  return value === undefined ? '!' : value === null ? '~' : text(value);
}

/**
 * One employee as a row of a block: its 11 tokens joined by the separator. The offline copy keeps
 * its rows in this form, so a page for the window is rows joined, never encoded again.
 */
export function encodeEmployeeRow(employee: Employee): string {
  const { twoFactor } = employee;
  return [
    employee.id,
    text(employee.firstName),
    text(employee.lastName),
    text(employee.email),
    ROLE_LETTERS[ROLES.indexOf(employee.role)]! +
      STATUS_LETTERS[TWO_FACTOR_STATUSES.indexOf(twoFactor.status)]! +
      (twoFactor.method === null ? '-' : METHOD_LETTERS[TWO_FACTOR_METHODS.indexOf(twoFactor.method)]!) +
      (twoFactor.lockedOut === undefined ? '-' : twoFactor.lockedOut ? '1' : '0'),
    optional(employee.cellPhone),
    optional(employee.lastLoginAt),
    optional(employee.updatedAt),
    employee.version.toString(36),
    optional(employee.updatedBy),
    optional(employee.phoneVerifiedAt),
  ].join(SEPARATOR);
}

/** Rows made by encodeEmployeeRow (or taken from a block by splitEmployeeRows) as a block, in the order given. */
export function joinEmployeeRows(rows: readonly string[]): EmployeeRows {
  return rows.length === 0 ? `${MAGIC}${SEPARATOR}0` : `${MAGIC}${SEPARATOR}${rows.length}${SEPARATOR}${rows.join(SEPARATOR)}`;
}

/** joinEmployeeRows(rows) in parts of at most `partRows` rows (the parts joined are that block). */
export function* employeeRowsInParts(rows: readonly string[], partRows: number): Generator<string> {
  yield `${MAGIC}${SEPARATOR}${rows.length}`;
  for (let from = 0; from < rows.length; from += partRows) yield `${SEPARATOR}${rows.slice(from, from + partRows).join(SEPARATOR)}`;
}

/** The rows as a block, in the order given. */
export function encodeEmployeeRows(items: readonly Employee[]): EmployeeRows {
  return joinEmployeeRows(items.map(encodeEmployeeRow));
}

/** A block that is not one of ours, or a row that breaks the employee schema. */
export class EmployeeRowsError extends Error {
  override readonly name = 'EmployeeRowsError';
}

function unescape(token: string): string {
  return token.slice(1).replace(/%(25|7F)/g, (escape) => (escape === '%25' ? '%' : SEPARATOR));
}

/** A text token: the text, null or absent, per what the field allows; null means "not allowed here". */
function readText(token: string, max: number, nullable: boolean, absent: boolean): string | null | undefined | false {
  switch (token.charCodeAt(0)) {
    case 0x7e: // ~
      return token.length === 1 && nullable ? null : false;
    case 0x21: // !
      return token.length === 1 && absent ? undefined : false;
    case 0x25: {
      // %
      const value = unescape(token);
      return value.length <= max ? value : false;
    }
    default:
      return token.length <= max ? token : false;
  }
}

function bad(row: number, field: string): never {
  throw new EmployeeRowsError(`row ${row + 1} of the block: ${field} is not valid`);
}

/** The tokens of a block, checked for its header and its number of tokens. */
function tokensOf(block: unknown): { tokens: string[]; count: number } {
  if (typeof block !== 'string') throw new EmployeeRowsError('the rows are not a text block');
  const tokens = block.split(SEPARATOR);
  const count = COUNT_PATTERN.test(tokens[1] ?? '') ? Number(tokens[1]) : -1;
  if (tokens[0] !== MAGIC || count < 0 || tokens.length !== 2 + count * TOKENS_PER_ROW) {
    throw new EmployeeRowsError('the rows are not a block of employee rows (format E1)');
  }
  return { tokens, count };
}

/** The employee of the row whose tokens start at `at`, checked against the employee schema's rules. */
function readRow(tokens: readonly string[], at: number, row: number): Employee {
  const id = tokens[at]!;
  if (!EMPLOYEE_ID_PATTERN.test(id)) bad(row, 'id');
  const firstName = readText(tokens[at + 1]!, LIMITS.name, false, false);
  if (typeof firstName !== 'string') bad(row, 'firstName');
  const lastName = readText(tokens[at + 2]!, LIMITS.name, false, false);
  if (typeof lastName !== 'string') bad(row, 'lastName');
  const email = readText(tokens[at + 3]!, LIMITS.email, false, false);
  if (typeof email !== 'string') bad(row, 'email');
  const flags = tokens[at + 4]!;
  const role = ROLES[ROLE_LETTERS.indexOf(flags[0]!)];
  const status = TWO_FACTOR_STATUSES[STATUS_LETTERS.indexOf(flags[1]!)];
  const method = flags[2] === '-' ? null : TWO_FACTOR_METHODS[METHOD_LETTERS.indexOf(flags[2]!)];
  const locked = flags[3];
  if (flags.length !== 4 || role === undefined || status === undefined || method === undefined || (locked !== '-' && locked !== '0' && locked !== '1')) bad(row, 'role or twoFactor');
  const cellPhone = readText(tokens[at + 5]!, LIMITS.cellPhone, true, false);
  if (cellPhone === false || cellPhone === undefined) bad(row, 'cellPhone');
  const lastLoginAt = readText(tokens[at + 6]!, Infinity, true, false);
  if (lastLoginAt === false || lastLoginAt === undefined) bad(row, 'lastLoginAt');
  const updatedAt = readText(tokens[at + 7]!, Infinity, false, false);
  if (typeof updatedAt !== 'string') bad(row, 'updatedAt');
  const versionToken = tokens[at + 8]!;
  const version = parseInt(versionToken, 36);
  if (!VERSION_PATTERN.test(versionToken) || !(version <= Number.MAX_SAFE_INTEGER)) bad(row, 'version');
  const updatedBy = readText(tokens[at + 9]!, LIMITS.updatedBy, true, true);
  if (updatedBy === false) bad(row, 'updatedBy');
  const phoneVerifiedAt = readText(tokens[at + 10]!, Infinity, true, true);
  if (phoneVerifiedAt === false) bad(row, 'phoneVerifiedAt');
  const employee: Employee = {
    id,
    firstName: firstName as string,
    lastName: lastName as string,
    email: email as string,
    role: role!,
    cellPhone: cellPhone as string | null,
    twoFactor: locked === '-' ? { status: status!, method: method! } : { status: status!, method: method!, lockedOut: locked === '1' },
    lastLoginAt: lastLoginAt as string | null,
    updatedAt: updatedAt as string,
    version,
  };
  if (updatedBy !== undefined) employee.updatedBy = updatedBy as string | null;
  if (phoneVerifiedAt !== undefined) employee.phoneVerifiedAt = phoneVerifiedAt as string | null;
  return employee;
}

/**
 * The employees of a block, checked row by row against the employee schema's rules (id, lengths,
 * enums, a positive version). Throws EmployeeRowsError naming the first row and field that is wrong.
 */
export function decodeEmployeeRows(block: unknown): Employee[] {
  const { tokens, count } = tokensOf(block);
  const items = new Array<Employee>(count);
  for (let row = 0, at = 2; row < count; row++, at += TOKENS_PER_ROW) items[row] = readRow(tokens, at, row);
  return items;
}

/**
 * The rows of a block, each checked as decodeEmployeeRows checks it, as row strings (encodeEmployeeRow's
 * form): how the offline copy's worker reads its file, keeping the rows as they are for later pages.
 */
export function splitEmployeeRows(block: unknown): string[] {
  const { tokens, count } = tokensOf(block);
  const text = block as string;
  const rows = new Array<string>(count);
  // Where the first row starts: after "E1", the count and their separators.
  let from = tokens[0]!.length + tokens[1]!.length + 2;
  for (let row = 0, at = 2; row < count; row++, at += TOKENS_PER_ROW) {
    readRow(tokens, at, row);
    let length = TOKENS_PER_ROW - 1;
    for (let t = at; t < at + TOKENS_PER_ROW; t++) length += tokens[t]!.length;
    rows[row] = text.slice(from, from + length);
    from += length + 1;
  }
  return rows;
}

/** The employee of one row string (encodeEmployeeRow's form), checked. */
export function decodeEmployeeRow(row: string): Employee {
  const tokens = row.split(SEPARATOR);
  if (tokens.length !== TOKENS_PER_ROW) throw new EmployeeRowsError('the row is not an employee row (format E1)');
  return readRow(tokens, 0, 0);
}

/** The id of a row string (its first token), without reading the rest. */
export function employeeRowId(row: string): string {
  const end = row.indexOf(SEPARATOR);
  return end < 0 ? row : row.slice(0, end);
}
