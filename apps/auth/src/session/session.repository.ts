import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ensureIndexes } from '../database/ensure-indexes';
import { startExpirySweep } from '../database/expiry-sweeper';
import { Session } from './session.schema';

export type NewSession = Omit<Session, 'createdAt'>;

@Injectable()
export class SessionRepository implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SessionRepository.name);
  private stopSweep?: () => void;

  constructor(@InjectModel(Session.name) private readonly sessions: Model<Session>) {}

  async onModuleInit(): Promise<void> {
    const { ttl } = await ensureIndexes(this.sessions, this.logger);
    if (!ttl) this.stopSweep = startExpirySweep(this.sessions, 'expiresAt', this.logger);
  }

  onModuleDestroy(): void {
    this.stopSweep?.();
  }

  async insert(session: NewSession): Promise<void> {
    await this.sessions.create(session);
  }

  findByTokenHash(tokenHash: string): Promise<Session | null> {
    return this.sessions.findOne({ tokenHash }).lean<Session>().exec();
  }

  /** Deletes the session and returns what it was; null when there was none. */
  deleteById(sessionId: string): Promise<Session | null> {
    return this.sessions.findOneAndDelete({ _id: sessionId }).lean<Session>().exec();
  }
}
