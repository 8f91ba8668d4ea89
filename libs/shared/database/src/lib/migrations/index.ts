import type { MigrationInterface } from 'typeorm';
import { Initial1795729946425 as MysqlInitial } from './mysql/1795729946425-Initial';
import { SourcedIdOrderIndex1795731226377 as MysqlSourcedIdOrderIndex } from './mysql/1795731226377-SourcedIdOrderIndex';
import { GradebookChanges1795732969223 as MysqlGradebookChanges } from './mysql/1795732969223-GradebookChanges';
import { OidcModels1795733044889 as MysqlOidcModels } from './mysql/1795733044889-OidcModels';
import { Initial1795729946425 as SqliteInitial } from './sqlite/1795729946425-Initial';
import { SourcedIdOrderIndex1795731226377 as SqliteSourcedIdOrderIndex } from './sqlite/1795731226377-SourcedIdOrderIndex';
import { GradebookChanges1795732969223 as SqliteGradebookChanges } from './sqlite/1795732969223-GradebookChanges';
import { OidcModels1795733044889 as SqliteOidcModels } from './sqlite/1795733044889-OidcModels';

/*
 * Explicit, ordered migration lists per dialect (no globs: the apps are bundled).
 * New migrations: `npm run db -- generate <Name>` writes one file per dialect; add both here.
 */
export const SQLITE_MIGRATIONS: (new () => MigrationInterface)[] = [
  SqliteInitial,
  SqliteSourcedIdOrderIndex,
  SqliteGradebookChanges,
  SqliteOidcModels,
];
export const MYSQL_MIGRATIONS: (new () => MigrationInterface)[] = [
  MysqlInitial,
  MysqlSourcedIdOrderIndex,
  MysqlGradebookChanges,
  MysqlOidcModels,
];
