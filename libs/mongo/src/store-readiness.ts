import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { ReadinessCheck } from '@app/health';
import { Connection } from 'mongoose';
import { pingDatabase } from './ping-database';

/** Ready while the service's database answers a ping. */
@Injectable()
export class StoreReadiness implements ReadinessCheck {
  readonly name = 'store';

  constructor(@InjectConnection() private readonly connection: Connection) {}

  check(): Promise<void> {
    return pingDatabase(this.connection, 'The database does not answer');
  }
}
