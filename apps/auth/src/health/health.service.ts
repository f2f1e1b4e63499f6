import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { HealthReply } from '@app/contracts';
import { pingDatabase } from '@app/mongo';
import { Connection } from 'mongoose';
import { AuthConfig, instanceName } from '../auth.config';

/** Ready means: this instance answers NATS and its database answers it. */
@Injectable()
export class HealthService {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly config: AuthConfig,
  ) {}

  async check(): Promise<HealthReply> {
    await pingDatabase(this.connection, 'The auth database does not answer');
    return { status: 'ok', instance: instanceName(this.config) };
  }
}
