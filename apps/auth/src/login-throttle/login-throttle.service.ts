import { Injectable, OnModuleInit } from '@nestjs/common';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitMetrics } from '@app/metrics';
import { IdKeyedRateLimiter } from '@app/mongo';
import { AuthConfig } from '../auth.config';
import { LimitCounters, rateLimited as limited } from './limit-counters';
import { slowdownMs, throttleKey } from './throttle-window';

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
export class LoginThrottleService implements OnModuleInit {
  private limiters?: { pair: IdKeyedRateLimiter; ip: IdKeyedRateLimiter; username: IdKeyedRateLimiter };

  constructor(
    private readonly counters: LimitCounters,
    private readonly config: AuthConfig,
    private readonly metrics: RateLimitMetrics,
  ) {}

  onModuleInit(): void {
    const window = this.config.LOGIN_FAILURE_WINDOW_SECONDS;
    this.limiters = {
      pair: this.counters.limiter('pair', this.config.LOGIN_MAX_FAILURES_PER_PAIR, window),
      ip: this.counters.limiter('ip', this.config.LOGIN_MAX_FAILURES_PER_IP, window),
      username: this.counters.limiter('user', this.config.LOGIN_MAX_FAILURES_PER_USERNAME, window),
    };
  }

  /**
   * Runs `check` (null = wrong credentials) under the limits; throws RATE_LIMITED when refused.
   * `exempt` (an address in RATE_LIMIT_EXEMPT): no limit at all.
   */
  async attempt<T>(
    username: string,
    clientIp: string,
    check: () => Promise<T | null>,
    exempt = false,
  ): Promise<T | null> {
    if (exempt) return check();
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
    if (pair.consumedPoints > this.config.LOGIN_MAX_FAILURES_PER_PAIR) throw this.refuse('login_pair', pair);
    if (ip && ip.consumedPoints >= this.config.LOGIN_MAX_FAILURES_PER_IP && pairFailures > 0) {
      throw this.refuse('login_ip', ip);
    }
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

  private refuse(limit: 'login_pair' | 'login_ip', res: RateLimiterRes): ReturnType<typeof limited> {
    this.metrics.refused(limit);
    return limited(res, 'Too many failed login attempts, try again later');
  }
}
