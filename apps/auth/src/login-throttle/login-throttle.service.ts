import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorCode } from '@app/contracts';
import { DomainError } from '@app/errors';
import { IdKeyedRateLimiter } from '@app/mongo';
import { AuthConfig } from '../auth.config';
import { ExpiryService } from '../database/expiry.service';
import { LoginLimit } from './login-limit.schema';
import { retryAfterSeconds, slowdownMs, throttleKey } from './throttle-window';

/**
 * Failed-login limits that cannot be turned against other users (OWASP's advice against lockout),
 * counted by rate-limiter-flexible in MongoDB so that every auth instance shares them. Windows are
 * fixed: `LOGIN_FAILURE_WINDOW_SECONDS` from a counter's first failure. The exact rule is in
 * docs/decisions.md (Login limits):
 * - per (username, address) pair: past `PER_PAIR` failures that username is refused (429) from that
 *   address, with the right password too. The attempt is counted before the password is checked,
 *   so a burst of parallel guesses cannot slip past; a success clears the pair.
 * - per address: past `PER_IP` failures, only usernames without a failure from that address are still
 *   checked; every other attempt from it is refused. An office behind one NAT keeps logging in.
 * - per username (every address): past `PER_USERNAME` failures each attempt is slowed (a growing delay,
 *   at most `LOGIN_SLOWDOWN_MAX_MS`), never refused.
 */
@Injectable()
export class LoginThrottleService implements OnModuleInit, OnModuleDestroy {
  private limiters?: { pair: IdKeyedRateLimiter; ip: IdKeyedRateLimiter; username: IdKeyedRateLimiter };
  private stopSweep?: () => void;

  constructor(
    @InjectModel(LoginLimit.name) private readonly limits: Model<LoginLimit>,
    private readonly expiries: ExpiryService,
    private readonly config: AuthConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const expiry = (await this.expiries.forModel(this.limits, 'expire')) ?? undefined;
    this.stopSweep = expiry?.start(new Logger(LoginThrottleService.name));
    const limiter = (keyPrefix: string, points: number) =>
      new IdKeyedRateLimiter({
        collection: this.limits.collection as never,
        expiry,
        keyPrefix,
        points,
        duration: this.config.LOGIN_FAILURE_WINDOW_SECONDS,
      });
    this.limiters = {
      pair: limiter('pair', this.config.LOGIN_MAX_FAILURES_PER_PAIR),
      ip: limiter('ip', this.config.LOGIN_MAX_FAILURES_PER_IP),
      username: limiter('user', this.config.LOGIN_MAX_FAILURES_PER_USERNAME),
    };
  }

  onModuleDestroy(): void {
    this.stopSweep?.();
  }

  /** Runs `check` (null = wrong credentials) under the limits; throws RATE_LIMITED when refused. */
  async attempt<T>(username: string, clientIp: string, check: () => Promise<T | null>): Promise<T | null> {
    const limiters = this.limiters!;
    const keys = {
      pair: throttleKey('pair', username, clientIp),
      ip: throttleKey('ip', clientIp),
      username: throttleKey('username', username),
    };
    // The gateway always passes the address; without one there is no address to limit.
    const withIp = clientIp !== '';
    const [pair, ip, user] = await Promise.all([
      limiters.pair.penalty(keys.pair, 1),
      withIp ? limiters.ip.get(keys.ip) : null,
      limiters.username.get(keys.username),
    ]);
    const pairFailures = pair.consumedPoints - 1;
    if (pair.consumedPoints > this.config.LOGIN_MAX_FAILURES_PER_PAIR) throw rateLimited(pair);
    if (ip && ip.consumedPoints >= this.config.LOGIN_MAX_FAILURES_PER_IP && pairFailures > 0) throw rateLimited(ip);
    const delay = slowdownMs(
      user?.consumedPoints ?? 0,
      this.config.LOGIN_MAX_FAILURES_PER_USERNAME,
      this.config.LOGIN_SLOWDOWN_MAX_MS,
    );
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    let result: T | null;
    try {
      result = await check();
    } catch (err) {
      await limiters.pair.reward(keys.pair, 1); // an outage is not a failed login
      throw err;
    }
    if (result !== null) {
      await limiters.pair.delete(keys.pair);
      return result;
    }
    await Promise.all([withIp ? limiters.ip.penalty(keys.ip, 1) : null, limiters.username.penalty(keys.username, 1)]);
    return null;
  }
}

function rateLimited(res: RateLimiterRes): DomainError {
  return new DomainError(
    ErrorCode.RATE_LIMITED,
    'Too many failed login attempts, try again later',
    retryAfterSeconds(res.msBeforeNext),
  );
}
