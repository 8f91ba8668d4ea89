import type { MigrationInterface } from 'typeorm';
import { Initial1795729946425 as MysqlInitial } from './mysql/1795729946425-Initial';
import { SourcedIdOrderIndex1795731226377 as MysqlSourcedIdOrderIndex } from './mysql/1795731226377-SourcedIdOrderIndex';
import { GradebookChanges1795732969223 as MysqlGradebookChanges } from './mysql/1795732969223-GradebookChanges';
import { OidcModels1795733044889 as MysqlOidcModels } from './mysql/1795733044889-OidcModels';
import { Initial1795729946425 as SqliteInitial } from './sqlite/1795729946425-Initial';
import { SourcedIdOrderIndex1795731226377 as SqliteSourcedIdOrderIndex } from './sqlite/1795731226377-SourcedIdOrderIndex';
import { GradebookChanges1795732969223 as SqliteGradebookChanges } from './sqlite/1795732969223-GradebookChanges';
import { OidcModels1795733044889 as SqliteOidcModels } from './sqlite/1795733044889-OidcModels';
import { PortalReceiptsAndSessions1795739230624 as MysqlPortalReceiptsAndSessions } from './mysql/1795739230624-PortalReceiptsAndSessions';
import { PortalReceiptsAndSessions1795739230624 as SqlitePortalReceiptsAndSessions } from './sqlite/1795739230624-PortalReceiptsAndSessions';
import { OidcSignInClients1795739260650 as MysqlOidcSignInClients } from './mysql/1795739260650-OidcSignInClients';
import { OidcSignInClients1795739260650 as SqliteOidcSignInClients } from './sqlite/1795739260650-OidcSignInClients';
import { ApiUsageDaily1795739420422 as MysqlApiUsageDaily } from './mysql/1795739420422-ApiUsageDaily';
import { ApiUsageDaily1795739420422 as SqliteApiUsageDaily } from './sqlite/1795739420422-ApiUsageDaily';
import { OidcTokenDigests1795739600000 as MysqlOidcTokenDigests } from './mysql/1795739600000-OidcTokenDigests';
import { OidcTokenDigests1795739600000 as SqliteOidcTokenDigests } from './sqlite/1795739600000-OidcTokenDigests';
import { AccountLifecycle1796234554471 as MysqlAccountLifecycle } from './mysql/1796234554471-AccountLifecycle';
import { AccountLifecycle1796234554471 as SqliteAccountLifecycle } from './sqlite/1796234554471-AccountLifecycle';
import { ApplicationBooleanFormat1796292189795 as MysqlApplicationBooleanFormat } from './mysql/1796292189795-ApplicationBooleanFormat';
import { ApplicationBooleanFormat1796292189795 as SqliteApplicationBooleanFormat } from './sqlite/1796292189795-ApplicationBooleanFormat';
import { PlatformApiAndWebhooks1796312458642 as MysqlPlatformApiAndWebhooks } from './mysql/1796312458642-PlatformApiAndWebhooks';
import { PlatformApiAndWebhooks1796312458642 as SqlitePlatformApiAndWebhooks } from './sqlite/1796312458642-PlatformApiAndWebhooks';
import { V1p2ScoreScalesAndAssessments1796328157056 as MysqlV1p2ScoreScalesAndAssessments } from './mysql/1796328157056-V1p2ScoreScalesAndAssessments';
import { V1p2ScoreScalesAndAssessments1796328157056 as SqliteV1p2ScoreScalesAndAssessments } from './sqlite/1796328157056-V1p2ScoreScalesAndAssessments';
import { ApiUsageRecords1796409420969 as MysqlApiUsageRecords } from './mysql/1796409420969-ApiUsageRecords';
import { ApiUsageRecords1796409420969 as SqliteApiUsageRecords } from './sqlite/1796409420969-ApiUsageRecords';
import { MisImports1796409441645 as MysqlMisImports } from './mysql/1796409441645-MisImports';
import { MisImports1796409441645 as SqliteMisImports } from './sqlite/1796409441645-MisImports';
import { V1p2UserResources1796412427182 as MysqlV1p2UserResources } from './mysql/1796412427182-V1p2UserResources';
import { V1p2UserResources1796412427182 as SqliteV1p2UserResources } from './sqlite/1796412427182-V1p2UserResources';
import { V1p2UserFields1796412449210 as MysqlV1p2UserFields } from './mysql/1796412449210-V1p2UserFields';
import { V1p2UserFields1796412449210 as SqliteV1p2UserFields } from './sqlite/1796412449210-V1p2UserFields';
import { V1p2UserRoles1796655134026 as MysqlV1p2UserRoles } from './mysql/1796655134026-V1p2UserRoles';
import { V1p2UserRoles1796655134026 as SqliteV1p2UserRoles } from './sqlite/1796655134026-V1p2UserRoles';
import { V1p2GradebookFields1796655140442 as MysqlV1p2GradebookFields } from './mysql/1796655140442-V1p2GradebookFields';
import { V1p2GradebookFields1796655140442 as SqliteV1p2GradebookFields } from './sqlite/1796655140442-V1p2GradebookFields';
import { V1p2UserProfiles1796656490372 as MysqlV1p2UserProfiles } from './mysql/1796656490372-V1p2UserProfiles';
import { V1p2UserProfiles1796656490372 as SqliteV1p2UserProfiles } from './sqlite/1796656490372-V1p2UserProfiles';
import { V1p2LearningObjectiveSets1796688164518 as MysqlV1p2LearningObjectiveSets } from './mysql/1796688164518-V1p2LearningObjectiveSets';
import { V1p2LearningObjectiveSets1796688164518 as SqliteV1p2LearningObjectiveSets } from './sqlite/1796688164518-V1p2LearningObjectiveSets';

/*
 * Explicit, ordered migration lists per dialect (no globs: the apps are bundled).
 * New migrations: `npm run db -- generate <Name>` writes one file per dialect; add both here.
 */
export const SQLITE_MIGRATIONS: (new () => MigrationInterface)[] = [
  SqliteInitial,
  SqliteSourcedIdOrderIndex,
  SqliteGradebookChanges,
  SqliteOidcModels,
  SqlitePortalReceiptsAndSessions,
  SqliteOidcSignInClients,
  SqliteApiUsageDaily,
  SqliteOidcTokenDigests,
  SqliteAccountLifecycle,
  SqliteApplicationBooleanFormat,
  SqlitePlatformApiAndWebhooks,
  SqliteV1p2ScoreScalesAndAssessments,
  SqliteApiUsageRecords,
  SqliteMisImports,
  SqliteV1p2UserResources,
  SqliteV1p2UserFields,
  SqliteV1p2UserRoles,
  SqliteV1p2GradebookFields,
  SqliteV1p2UserProfiles,
  SqliteV1p2LearningObjectiveSets,
];
export const MYSQL_MIGRATIONS: (new () => MigrationInterface)[] = [
  MysqlInitial,
  MysqlSourcedIdOrderIndex,
  MysqlGradebookChanges,
  MysqlOidcModels,
  MysqlPortalReceiptsAndSessions,
  MysqlOidcSignInClients,
  MysqlApiUsageDaily,
  MysqlOidcTokenDigests,
  MysqlAccountLifecycle,
  MysqlApplicationBooleanFormat,
  MysqlPlatformApiAndWebhooks,
  MysqlV1p2ScoreScalesAndAssessments,
  MysqlApiUsageRecords,
  MysqlMisImports,
  MysqlV1p2UserResources,
  MysqlV1p2UserFields,
  MysqlV1p2UserRoles,
  MysqlV1p2GradebookFields,
  MysqlV1p2UserProfiles,
  MysqlV1p2LearningObjectiveSets,
];
