import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '@oneroster/config';
import { type DataSourceExtras, openDatabase } from './data-source';

/**
 * Provides TypeORM's DataSource (and repositories) to a Nest app. The connection is opened
 * by `openDatabase`, so the app gets exactly the options the tools and tests use.
 */
@Module({})
export class DatabaseModule {
  static forRoot(
    config: DatabaseConfig,
    extras: Pick<DataSourceExtras, 'replicas' | 'sharedWrites'> = {},
  ): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({}),
          dataSourceFactory: async () => openDatabase(config, extras),
        }),
      ],
      exports: [TypeOrmModule],
    };
  }
}

export { DataSource };
