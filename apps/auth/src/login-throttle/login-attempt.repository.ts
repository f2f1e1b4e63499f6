import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { ensureIndexes } from '../database/ensure-indexes';
import { startExpirySweep } from '../database/expiry-sweeper';
import { LoginAttempt } from './login-attempt.schema';

export interface RecordedAttempt {
  id: string;
  at: Date;
}

/** Counted login attempts, shared by every auth instance through MongoDB. */
@Injectable()
export class LoginAttemptRepository implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LoginAttemptRepository.name);
  private stopSweep?: () => void;

  constructor(@InjectModel(LoginAttempt.name) private readonly attempts: Model<LoginAttempt>) {}

  async onModuleInit(): Promise<void> {
    const { ttl } = await ensureIndexes(this.attempts, this.logger);
    if (!ttl) this.stopSweep = startExpirySweep(this.attempts, 'expiresAt', this.logger);
  }

  onModuleDestroy(): void {
    this.stopSweep?.();
  }

  async record(key: string, at: Date, expiresAt: Date): Promise<string> {
    const id = randomUUID();
    await this.attempts.create({ _id: id, key, at, expiresAt });
    return id;
  }

  /** Attempts of `key` made after `since`. */
  async since(key: string, since: Date): Promise<RecordedAttempt[]> {
    const docs = await this.attempts
      .find({ key, at: { $gt: since } }, { at: 1 })
      .lean<Pick<LoginAttempt, '_id' | 'at'>[]>()
      .exec();
    return docs.map((d) => ({ id: d._id, at: d.at }));
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.attempts.deleteMany({ _id: { $in: ids } }).exec();
  }

  async clear(key: string): Promise<void> {
    await this.attempts.deleteMany({ key }).exec();
  }
}
