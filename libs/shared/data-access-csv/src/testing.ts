// Test support only: the CSV-to-table map, for the check that it follows the catalogue.
// Production code imports `@oneroster/data-access-csv`, never this entry point.
export { TABLE_MAPS, type Storage } from './lib/tables';
