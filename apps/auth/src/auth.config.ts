import { hostname } from 'node:os';
import { IsInt, Max, Min } from 'class-validator';
import { IsRateLimit, MongoConfig } from '@app/config';

const DAY = 24 * 60 * 60;

/**
 * Environment of the auth service: users, sessions and the login failure limits. The explicit
 * `: number` annotations are what loadConfig converts the env strings by.
 */
export class AuthConfig extends MongoConfig {
  /** Lifetime of a session from login; sessions are not extended by use. */
  @IsInt()
  @Min(60)
  @Max(365 * DAY)
  SESSION_TTL_SECONDS: number = 7 * DAY;

  /** Failed logins of one username (case-insensitive) from one address per window; past it, 429 there. */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  LOGIN_MAX_FAILURES_PER_PAIR: number = 10;

  /** Failed logins of one username from every address per window; past it, attempts are slowed. */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  LOGIN_MAX_FAILURES_PER_USERNAME: number = 10;

  /** Failed logins from one address per window; past it, only usernames without a failure there are checked. */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  LOGIN_MAX_FAILURES_PER_IP: number = 100;

  /** The longest a slowed attempt waits (below RPC_TIMEOUT_MS, or the gateway gives up first). */
  @IsInt()
  @Min(0)
  @Max(30_000)
  LOGIN_SLOWDOWN_MAX_MS: number = 2000;

  /** Registrations per client address: `<points>/<seconds>` (each costs an argon2id hash). */
  @IsRateLimit()
  RATE_LIMIT_REGISTER: string = '30/600';

  /** Failures are counted in windows of this many seconds, from a counter's first failure. */
  @IsInt()
  @Min(1)
  @Max(DAY)
  LOGIN_FAILURE_WINDOW_SECONDS: number = 15 * 60;
}

/** Name of this process in logs, health replies and its NATS connections. */
export function instanceName(config: Pick<AuthConfig, 'INSTANCE_NAME'>): string {
  return config.INSTANCE_NAME || `auth-${hostname()}-${process.pid}`;
}
