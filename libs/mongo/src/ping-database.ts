import { Logger } from '@nestjs/common';
import { DomainError } from '@app/errors';
import { Connection } from 'mongoose';

const logger = new Logger('DatabaseHealth');

/** Readiness of a service that owns data: its database must answer a ping, or it is UNAVAILABLE. */
export async function pingDatabase(connection: Connection, unavailableMessage: string): Promise<void> {
  try {
    const db = connection.db;
    if (!db) throw new Error('not connected');
    await db.command({ ping: 1 }, { timeoutMS: 2000 });
  } catch (err) {
    logger.warn({ msg: 'database ping failed', err });
    throw DomainError.unavailable(unavailableMessage);
  }
}
