export { csvField, neutralizeCell, removeNeutralizingQuote, toCsv } from './cells';
export { EMPLOYEE_EXPORT_HEADER, employeesCsv, exportFileName } from './employees-csv';
export { headerKey, mapColumns, type ColumnMap, type ImportColumn } from './columns';
