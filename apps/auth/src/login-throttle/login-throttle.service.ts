import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@app/contracts';
import { DomainError } from '@app/errors';
import { AuthConfig } from '../auth.config';
import { LoginFailureRepository } from './login-failure.repository';
import { ThrottleScope, isOverLimit, retryAfterSeconds, throttleKey, windowEnd } from './throttle-window';

interface Counter {
  scope: ThrottleScope;
  key: string;
  limit: number;
}

/**
 * Limits failed logins per username and per client address. Each attempt is counted BEFORE the
 * password is checked, so a burst of parallel guesses cannot slip past the limit; a successful
 * attempt is then taken back (and clears the username's counter), so successes are never limited.
 * Once a counter is over its limit, every attempt is refused until its window closes.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly failures: LoginFailureRepository,
    private readonly config: AuthConfig,
  ) {}

  /** Runs `check` (null = wrong credentials) under the limits; throws RATE_LIMITED when over one. */
  async attempt<T>(username: string, clientIp: string, check: () => Promise<T | null>): Promise<T | null> {
    const counters = this.countersOf(username, clientIp);
    const now = new Date();
    const end = windowEnd(now, this.config.LOGIN_FAILURE_WINDOW_SECONDS);
    for (const counter of counters) {
      const window = await this.failures.hit(counter.key, now, end);
      if (isOverLimit(window, counter.limit)) {
        throw new DomainError(
          ErrorCode.RATE_LIMITED,
          'Too many failed login attempts, try again later',
          retryAfterSeconds(window, now),
        );
      }
    }
    const result = await check();
    if (result !== null) await this.forgive(counters);
    return result;
  }

  /** The address first: a client over its address limit learns nothing about the username's. */
  private countersOf(username: string, clientIp: string): Counter[] {
    const counters: Counter[] = [];
    // The gateway always passes the address; without one there is no address to limit.
    if (clientIp !== '') {
      counters.push({ scope: 'ip', key: throttleKey('ip', clientIp), limit: this.config.LOGIN_MAX_FAILURES_PER_IP });
    }
    counters.push({
      scope: 'username',
      key: throttleKey('username', username),
      limit: this.config.LOGIN_MAX_FAILURES_PER_USERNAME,
    });
    return counters;
  }

  private async forgive(counters: Counter[]): Promise<void> {
    const now = new Date();
    for (const c of counters) {
      if (c.scope === 'username') await this.failures.clear(c.key);
      else await this.failures.undo(c.key, now);
    }
  }
}
