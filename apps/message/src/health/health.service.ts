import { Injectable, Logger } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { HealthReply } from '@app/contracts';
import { DomainError } from '@app/errors';
import { Connection } from 'mongoose';
import { MessageConfig, instanceNameOf } from '../message.config';

/** Ready means the database answers too: a gateway must not send us traffic we cannot store. */
@Injectable()
export class HealthService {
  private readonly logger = new Logger(HealthService.name);

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly config: MessageConfig,
  ) {}

  async check(): Promise<HealthReply> {
    try {
      const db = this.connection.db;
      if (!db) throw new Error('not connected');
      await db.command({ ping: 1 }, { timeoutMS: 2000 });
    } catch (err) {
      this.logger.warn({ msg: 'database ping failed', err });
      throw DomainError.unavailable('The message store is unavailable');
    }
    return { status: 'ok', instance: instanceNameOf(this.config) };
  }
}
