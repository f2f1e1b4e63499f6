import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ensureIndexes } from '../database/ensure-indexes';
import { startExpirySweep } from '../database/expiry-sweeper';
import { isDuplicateKey } from '../database/mongo-errors';
import { LoginFailure } from './login-failure.schema';
import { FailureWindow } from './throttle-window';

/**
 * Failure counters in MongoDB, so that every auth instance shares them. Each change is one atomic
 * single-document write; no read-modify-write races between instances.
 */
@Injectable()
export class LoginFailureRepository implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LoginFailureRepository.name);
  private stopSweep?: () => void;

  constructor(@InjectModel(LoginFailure.name) private readonly failures: Model<LoginFailure>) {}

  async onModuleInit(): Promise<void> {
    const { ttl } = await ensureIndexes(this.failures, this.logger);
    if (!ttl) this.stopSweep = startExpirySweep(this.failures, 'expiresAt', this.logger);
  }

  onModuleDestroy(): void {
    this.stopSweep?.();
  }

  /** Counts one attempt in the key's open window, or opens a new window of `windowEnd`. */
  async hit(key: string, now: Date, windowEnd: Date): Promise<FailureWindow> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const live = await this.failures
        .findOneAndUpdate({ _id: key, expiresAt: { $gt: now } }, { $inc: { count: 1 } }, { returnDocument: 'after' })
        .lean<LoginFailure>()
        .exec();
      if (live) return { count: live.count, expiresAt: live.expiresAt };
      // Restart a stale window only while it is still stale, so two racers cannot both restart it.
      const fresh = { count: 1, expiresAt: windowEnd };
      const restarted = await this.failures.updateOne({ _id: key, expiresAt: { $lte: now } }, { $set: fresh }).exec();
      if (restarted.matchedCount === 1) return fresh;
      try {
        await this.failures.create({ _id: key, ...fresh });
        return fresh;
      } catch (err) {
        // Someone else opened the window first: count in theirs.
        if (!isDuplicateKey(err)) throw err;
      }
    }
    throw new Error(`login failure counter ${key} kept changing under concurrent writes`);
  }

  /** Takes back one counted attempt of the open window. */
  async undo(key: string, now: Date): Promise<void> {
    await this.failures
      .updateOne({ _id: key, count: { $gt: 0 }, expiresAt: { $gt: now } }, { $inc: { count: -1 } })
      .exec();
  }

  async clear(key: string): Promise<void> {
    await this.failures.deleteOne({ _id: key }).exec();
  }
}
