import { Injectable, OnModuleInit } from '@nestjs/common';
import { parseRateLimit } from '@app/config';
import { RateLimitMetrics } from '@app/metrics';
import { IdKeyedRateLimiter } from '@app/mongo';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { AuthConfig } from '../auth.config';
import { LimitCounters, rateLimited } from './limit-counters';
import { throttleKey } from './throttle-window';

/** Registrations per client address (RATE_LIMIT_REGISTER): each costs an argon2id hash. */
@Injectable()
export class RegisterLimitService implements OnModuleInit {
  private limiter?: IdKeyedRateLimiter;

  constructor(
    private readonly counters: LimitCounters,
    private readonly config: AuthConfig,
    private readonly metrics: RateLimitMetrics,
  ) {}

  onModuleInit(): void {
    const { points, seconds } = parseRateLimit(this.config.RATE_LIMIT_REGISTER);
    this.limiter = this.counters.limiter('register', points, seconds);
  }

  /** Counts a registration from `clientIp`, or throws RATE_LIMITED; no address or `exempt`: no limit. */
  async consume(clientIp: string, exempt: boolean): Promise<void> {
    if (exempt || clientIp === '') return;
    try {
      await this.limiter!.consume(throttleKey('ip', clientIp));
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      this.metrics.refused('register');
      throw rateLimited(err, 'Too many registrations from this address, try again later');
    }
  }
}
