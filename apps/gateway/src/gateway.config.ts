import { BaseConfig, IsRateLimit } from '@app/config';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { resolve } from 'node:path';
import { IsAddressList } from './common/exempt-addresses';

/** `true`/`1`/`yes` and `false`/`0`/`no`; anything else stays a string and fails validation. */
function toBoolean({ obj, key }: { obj: Record<string, unknown>; key: string }): unknown {
  const raw = obj[key];
  if (typeof raw === 'boolean') return raw;
  const text = String(raw).trim().toLowerCase();
  if (['true', '1', 'yes'].includes(text)) return true;
  if (['false', '0', 'no'].includes(text)) return false;
  return raw;
}

/** The gateway's environment, read once in `main.ts`. */
export class GatewayConfig extends BaseConfig {
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsString()
  @MinLength(1)
  HOST: string = '127.0.0.1';

  /** How long a verified token is trusted without asking auth again (revocation evicts at once). */
  @IsInt()
  @Min(0)
  @Max(60_000)
  SESSION_CACHE_TTL_MS: number = 2000;

  @Transform(toBoolean)
  @IsBoolean({ message: 'COOKIE_SECURE must be true or false' })
  COOKIE_SECURE: boolean = false;

  /** Express `trust proxy`: `false`, `true`, a hop count, or comma-separated addresses/names (`loopback`). */
  @IsString()
  @Matches(/^[\w.:/,\s-]+$/, { message: 'TRUST_PROXY must be false, true, a hop count or a list of addresses' })
  TRUST_PROXY: string = 'false';

  @IsInt()
  @Min(0)
  @Max(600_000)
  SHUTDOWN_GRACE_MS: number = 10_000;

  /** How often this gateway says it is alive; others drop its presence claims after 3 silent periods. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  PRESENCE_HEARTBEAT_MS: number = 4_000;

  /** Largest attachment upload in bytes (10 MiB); larger is 413. Held in memory while it is sent on. */
  @IsInt()
  @Min(1)
  @Max(1024 * 1024 * 1024)
  ATTACHMENT_MAX_BYTES: number = 10 * 1024 * 1024;

  /**
   * Origins (comma-separated, `https://app.example.com`) besides the gateway's own whose pages may use
   * the session cookie, and which CORS admits (credentials included). Empty by default: CORS is off.
   */
  @IsString()
  @Matches(/^[\w.:/,\s-]*$/, { message: 'ALLOWED_ORIGINS must be comma-separated origins' })
  ALLOWED_ORIGINS: string = '';

  /** Client addresses and CIDR ranges (comma-separated) no rate limit applies to: load tests, trusted clients. */
  @IsAddressList()
  RATE_LIMIT_EXEMPT: string = '';

  /** `typing` events per user on this gateway, `<points>/<seconds>`. */
  @IsRateLimit()
  RATE_LIMIT_TYPING: string = '30/10';

  /** Sockets open at once per client address on this gateway. */
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  RATE_LIMIT_SOCKETS_PER_IP: number = 500;

  /** Socket handshakes per client address on this gateway, `<points>/<seconds>`. */
  @IsRateLimit()
  RATE_LIMIT_HANDSHAKES: string = '50/1';

  /**
   * Handshakes doing their store-bound work (session, room list) at once on this gateway; the rest
   * queue in arrival order, so a reconnect storm does not crowd out the sends of connected users.
   */
  @IsInt()
  @Min(1)
  @Max(10_000)
  HANDSHAKE_CONCURRENCY: number = 16;

  /** Built web client; compiled this file sits in dist/apps/gateway/src, the client in dist/client. */
  @IsString()
  @MinLength(1)
  CLIENT_DIR: string = resolve(__dirname, '..', '..', '..', 'client');
}
