import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { HealthReply } from '@app/contracts';
import { pingDatabase } from '@app/mongo';
import { Connection } from 'mongoose';
import { MessageConfig, instanceNameOf } from '../message.config';

/** Ready means the database answers too: a gateway must not send us traffic we cannot store. */
@Injectable()
export class HealthService {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly config: MessageConfig,
  ) {}

  async check(): Promise<HealthReply> {
    await pingDatabase(this.connection, 'The message store is unavailable');
    return { status: 'ok', instance: instanceNameOf(this.config) };
  }
}
