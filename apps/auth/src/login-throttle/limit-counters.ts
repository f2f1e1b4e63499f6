import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ErrorCode } from '@app/contracts';
import { DomainError } from '@app/errors';
import { ExpiryBuckets, IdKeyedRateLimiter } from '@app/mongo';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { ExpiryService } from '../database/expiry.service';
import { LoginLimit } from './login-limit.schema';
import { retryAfterSeconds } from './throttle-window';

/**
 * The auth service's rate-limit counters: rate-limiter-flexible limiters over one collection keyed
 * by `_id`, shared by every auth instance, expired by the TTL index or by expiry buckets.
 */
@Injectable()
export class LimitCounters implements OnModuleInit, OnModuleDestroy {
  private expiry?: ExpiryBuckets;
  private stopSweep?: () => void;

  constructor(
    @InjectModel(LoginLimit.name) private readonly limits: Model<LoginLimit>,
    private readonly expiries: ExpiryService,
  ) {}

  async onModuleInit(): Promise<void> {
    this.expiry = (await this.expiries.forModel(this.limits, 'expire')) ?? undefined;
    this.stopSweep = this.expiry?.start(new Logger(LimitCounters.name));
  }

  onModuleDestroy(): void {
    this.stopSweep?.();
  }

  /** A limiter of `points` per `seconds` (fixed windows from a key's first point). */
  limiter(keyPrefix: string, points: number, seconds: number): IdKeyedRateLimiter {
    return new IdKeyedRateLimiter({
      collection: this.limits.collection as never,
      expiry: this.expiry,
      keyPrefix,
      points,
      duration: seconds,
    });
  }
}

/** RATE_LIMITED with the wait a limiter's refusal gives. */
export function rateLimited(res: RateLimiterRes, message: string): DomainError {
  return new DomainError(ErrorCode.RATE_LIMITED, message, retryAfterSeconds(res.msBeforeNext));
}
