import { Module } from '@nestjs/common';
import { ROSTERING_V1P2_CONTROLLERS } from './rostering-v1p2.controllers';
import { V1p2RosteringReads } from './v1p2-reads';
import { V1p2GradebookWrites } from './v1p2-writes';
import { GRADEBOOK_V1P2_CONTROLLERS } from './gradebook-v1p2.controllers';

/**
 * The OneRoster 1.2 rostering service under /ims/oneroster/rostering/v1p2 (41 GETs). Reads
 * through the RosterReader and RosteringService that RosteringModule provides (import that
 * first), and needs OneRosterHttpModule like the 1.1 features.
 */
@Module({
  controllers: ROSTERING_V1P2_CONTROLLERS,
  providers: [V1p2RosteringReads],
})
export class RosteringV1p2Module {}

/**
 * The OneRoster 1.2 gradebook (/ims/oneroster/gradebook/v1p2) and resources
 * (/ims/oneroster/resources/v1p2) services: reads as for rostering, writes through the
 * GradebookWriter that GradebookModule exports (import both RosteringModule and
 * GradebookModule first). A module of its own so that each 1.2 service's OpenAPI document
 * lists only its routes.
 */
@Module({
  controllers: GRADEBOOK_V1P2_CONTROLLERS,
  providers: [V1p2RosteringReads, V1p2GradebookWrites],
})
export class GradebookV1p2Module {}
