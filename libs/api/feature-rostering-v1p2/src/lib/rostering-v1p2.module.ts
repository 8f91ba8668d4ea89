import { Module } from '@nestjs/common';
import { ROSTERING_V1P2_CONTROLLERS } from './rostering-v1p2.controllers';
import { V1p2RosteringReads } from './v1p2-reads';

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
