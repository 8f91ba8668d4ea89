import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  ROSTERING_OPTIONS,
  RosterReader,
  RosteringOptions,
  RosteringService,
} from '@oneroster/data-access-oneroster';
import { ONEROSTER_BASE_PATH } from '@oneroster/contracts';
import { ROSTERING_CONTROLLERS } from './rostering.controllers';

/** The OneRoster 1.1 rostering endpoints. Needs a DataSource provider and OneRosterHttpModule. */
@Module({})
export class RosteringModule {
  static register(options: RosteringOptions): DynamicModule {
    return {
      module: RosteringModule,
      // Other OneRoster features (gradebook, resources) read through the same service.
      global: true,
      controllers: ROSTERING_CONTROLLERS,
      providers: [
        { provide: ROSTERING_OPTIONS, useValue: options },
        {
          provide: RosterReader,
          inject: [DataSource],
          useFactory: (ds: DataSource) =>
            new RosterReader(ds, `${options.publicUrl}${ONEROSTER_BASE_PATH}`),
        },
        RosteringService,
      ],
      exports: [RosterReader, RosteringService, ROSTERING_OPTIONS],
    };
  }
}
