import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@app/contracts';
import { DomainError } from '@app/errors';
import { AuthConfig } from '../auth.config';
import { LoginAttemptRepository } from './login-attempt.repository';
import { ThrottleScope, isOverLimit, retryAfterSeconds, throttleKey, windowStart } from './throttle-window';

interface Counter {
  scope: ThrottleScope;
  key: string;
  limit: number;
}

interface Recorded {
  counter: Counter;
  id: string;
}

/**
 * Limits failed logins per username and per client address over a sliding window. Each attempt
 * is recorded BEFORE the password is checked, so a burst of parallel guesses cannot slip past
 * the limit. Attempts that end otherwise are taken back: a refused one (429) does not count,
 * and a successful one clears the username's failures and does not count against the address.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly attempts: LoginAttemptRepository,
    private readonly config: AuthConfig,
  ) {}

  /** Runs `check` (null = wrong credentials) under the limits; throws RATE_LIMITED when over one. */
  async attempt<T>(username: string, clientIp: string, check: () => Promise<T | null>): Promise<T | null> {
    const recorded: Recorded[] = [];
    const now = new Date();
    const window = this.config.LOGIN_FAILURE_WINDOW_SECONDS;
    const expiresAt = new Date(now.getTime() + window * 1000);
    for (const counter of this.countersOf(username, clientIp)) {
      const id = await this.attempts.record(counter.key, now, expiresAt);
      recorded.push({ counter, id });
      const inWindow = await this.attempts.since(counter.key, windowStart(now, window));
      if (isOverLimit(inWindow.length, counter.limit)) {
        await this.attempts.remove(recorded.map((r) => r.id));
        const others = inWindow.filter((a) => a.id !== id).map((a) => a.at);
        throw new DomainError(
          ErrorCode.RATE_LIMITED,
          'Too many failed login attempts, try again later',
          retryAfterSeconds(others, counter.limit, window, now),
        );
      }
    }
    let result: T | null;
    try {
      result = await check();
    } catch (err) {
      await this.attempts.remove(recorded.map((r) => r.id));
      throw err;
    }
    if (result !== null) await this.forgive(recorded);
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

  private async forgive(recorded: Recorded[]): Promise<void> {
    for (const { counter, id } of recorded) {
      if (counter.scope === 'username') await this.attempts.clear(counter.key);
      else await this.attempts.remove([id]);
    }
  }
}
