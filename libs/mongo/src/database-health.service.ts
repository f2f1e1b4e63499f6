import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { HealthReply } from '@app/contracts';
import { Connection } from 'mongoose';
import { pingDatabase } from './ping-database';

/** Injection token of the UNAVAILABLE message a failed check answers. */
export const DATABASE_UNAVAILABLE_MESSAGE = Symbol('DATABASE_UNAVAILABLE_MESSAGE');

/** Health of a service that owns data: ready only while its database answers it. */
@Injectable()
export class DatabaseHealthService {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(DATABASE_UNAVAILABLE_MESSAGE) private readonly unavailableMessage: string,
  ) {}

  /** Throws UNAVAILABLE unless the database answers a ping. */
  ping(): Promise<void> {
    return pingDatabase(this.connection, this.unavailableMessage);
  }

  /** The reply of the service's health subject: this instance answers and its database answers it. */
  async check(instance: string): Promise<HealthReply> {
    await this.ping();
    return { status: 'ok', instance };
  }
}
