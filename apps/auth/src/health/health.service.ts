import { Injectable, Logger } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { HealthReply } from '@app/contracts';
import { DomainError } from '@app/errors';
import { Connection } from 'mongoose';
import { AuthConfig, instanceName } from '../auth.config';

/** Ready means: this instance answers NATS and its database answers it. */
@Injectable()
export class HealthService {
  private readonly logger = new Logger(HealthService.name);

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly config: AuthConfig,
  ) {}

  async check(): Promise<HealthReply> {
    try {
      if (!this.connection.db) throw new Error('not connected');
      await this.connection.db.command({ ping: 1 });
    } catch (err) {
      this.logger.warn({ msg: 'database ping failed', err });
      throw DomainError.unavailable('The auth database does not answer');
    }
    return { status: 'ok', instance: instanceName(this.config) };
  }
}
