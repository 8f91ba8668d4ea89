import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ONEROSTER_BASE_PATH } from '@oneroster/contracts';
import { GradebookWriter } from '@oneroster/data-access-oneroster';
import { GradebookChangesController } from './changes.controller';
import { GRADEBOOK_CONTROLLERS } from './gradebook.controllers';

/**
 * Gradebook (read and write-back), resources, and the change feed. Needs RosteringModule
 * (its service and reader), a DataSource and OneRosterHttpModule. Its one GradebookWriter is
 * exported globally: the OneRoster 1.2 gradebook writes through the same instance, so writes
 * of both versions share its per-school queue.
 */
@Module({})
export class GradebookModule {
  static register(options: { publicUrl: string }): DynamicModule {
    return {
      module: GradebookModule,
      global: true,
      controllers: [...GRADEBOOK_CONTROLLERS, GradebookChangesController],
      providers: [
        {
          provide: GradebookWriter,
          inject: [DataSource],
          useFactory: (ds: DataSource) =>
            new GradebookWriter(
              ds,
              `${options.publicUrl}${ONEROSTER_BASE_PATH}`,
            ),
        },
      ],
      exports: [GradebookWriter],
    };
  }
}
