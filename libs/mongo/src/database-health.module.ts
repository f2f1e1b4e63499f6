import { DynamicModule, Module } from '@nestjs/common';
import { DATABASE_UNAVAILABLE_MESSAGE, DatabaseHealthService } from './database-health.service';

/** The database health check of a service that owns data (auth, message). */
@Module({})
export class DatabaseHealthModule {
  /** `unavailableMessage`: what a failed check answers, e.g. "The auth database does not answer". */
  static register(options: { unavailableMessage: string }): DynamicModule {
    return {
      module: DatabaseHealthModule,
      providers: [
        { provide: DATABASE_UNAVAILABLE_MESSAGE, useValue: options.unavailableMessage },
        DatabaseHealthService,
      ],
      exports: [DatabaseHealthService],
    };
  }
}
