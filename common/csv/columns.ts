/**
 * Which column of an import file holds what, by its header: case, spaces, dashes, underscores and
 * dots are ignored (`Cell Phone Number`, `cell_phone_number` and `CELLPHONE-NUMBER` are one name).
 */
export type ImportColumn = 'id' | 'email' | 'phone' | 'country';

const ALIASES: Readonly<Record<ImportColumn, readonly string[]>> = {
  id: ['employeeid', 'id', 'empid', 'employeenumber', 'staffid', 'personalnummer'],
  email: ['email', 'emailaddress', 'mail', 'workemail'],
  phone: ['cellphonenumber', 'cellphone', 'cellnumber', 'cell', 'mobile', 'mobilephone', 'mobilenumber', 'mobilephonenumber', 'phone', 'phonenumber', 'telephone', 'handy', 'handynummer', 'mobilnummer', 'telefon', 'telefonnummer'],
  country: ['country', 'countrycode', 'region', 'land'],
};

export function headerKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[\s_.\-–—()]+/gu, '');
}

const COLUMN_OF_KEY = new Map<string, ImportColumn>(
  (Object.entries(ALIASES) as [ImportColumn, readonly string[]][]).flatMap(([column, keys]) => keys.map((key) => [key, column] as const)),
);

export interface ColumnMap {
  id: number | null;
  email: number | null;
  phone: number | null;
  country: number | null;
}

/** Positions of the known columns in a header row; the first column of each kind wins. */
export function mapColumns(header: readonly string[]): ColumnMap {
  const map: ColumnMap = { id: null, email: null, phone: null, country: null };
  header.forEach((name, position) => {
    const column = COLUMN_OF_KEY.get(headerKey(name));
    if (column !== undefined && map[column] === null) map[column] = position;
  });
  return map;
}
