import { Injectable } from '@nestjs/common';
import { parseRateLimit } from '@app/config';
import { ErrorCode } from '@app/contracts';
import { DomainError } from '@app/errors';
import { RateLimitMetrics } from '@app/metrics';
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { GatewayConfig } from '../gateway.config';
import { ExemptAddresses } from './exempt-addresses';
import { parseTrustProxy } from './trust-proxy';

/** A refusal by a limiter: RATE_LIMITED, with the wait it gives. */
export function rateLimited(res: RateLimiterRes, message: string): DomainError {
  return new DomainError(ErrorCode.RATE_LIMITED, message, Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
}

/** An in-memory limiter that counts its refusals into chat_rate_limit_refusals_total{limit}. */
class CountedLimiter extends RateLimiterMemory {
  constructor(
    opts: { points: number; duration: number },
    private readonly onRefused: () => void,
  ) {
    super(opts);
  }

  override async consume(key: string | number, points?: number, options?: Record<string, unknown>) {
    try {
      return await super.consume(key, points, options);
    } catch (err) {
      if (err instanceof RateLimiterRes) this.onRefused();
      throw err;
    }
  }
}

/** Runs `limiter.consume(key)`, turning its refusal into RATE_LIMITED. */
export async function consumeOrRefuse(limiter: RateLimiterMemory, key: string, message: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw rateLimited(err, message);
    throw err;
  }
}

/**
 * The gateway's own limits, for what never leaves it: sockets per client address (open at once, and
 * handshakes per second) and `typing` per user, counted by rate-limiter-flexible in this process
 * (a socket lives on one gateway; the limits of actions that reach a service are the service's, and
 * shared by every gateway). RATE_LIMIT_EXEMPT addresses are never limited, here or in the services
 * (requests from them carry `exempt`).
 */
@Injectable()
export class RateLimitsService {
  private readonly exempt: ExemptAddresses;
  private readonly trust: ReturnType<typeof proxyaddr.compile>;
  private readonly handshakes: RateLimiterMemory;
  readonly typing: RateLimiterMemory;
  private readonly open = new Map<string, number>();

  constructor(
    private readonly config: GatewayConfig,
    private readonly metrics: RateLimitMetrics,
  ) {
    this.exempt = new ExemptAddresses(config.RATE_LIMIT_EXEMPT);
    const trust = parseTrustProxy(config.TRUST_PROXY);
    this.trust =
      typeof trust === 'boolean' || typeof trust === 'number'
        ? (_addr: string, i: number) => trust === true || (typeof trust === 'number' && i < trust)
        : proxyaddr.compile(trust);
    const handshakes = parseRateLimit(config.RATE_LIMIT_HANDSHAKES);
    this.handshakes = new CountedLimiter({ points: handshakes.points, duration: handshakes.seconds }, () =>
      metrics.refused('handshakes'),
    );
    const typing = parseRateLimit(config.RATE_LIMIT_TYPING);
    this.typing = new CountedLimiter({ points: typing.points, duration: typing.seconds }, () =>
      metrics.refused('typing'),
    );
  }

  isExempt(address: string): boolean {
    return this.exempt.has(address);
  }

  /** The client address of a raw request (a socket's handshake), under TRUST_PROXY as Express sees it. */
  addressOf(req: IncomingMessage): string {
    const raw = proxyaddr(req, this.trust);
    return raw.startsWith('::ffff:') ? raw.slice('::ffff:'.length) : raw;
  }

  /** Admits one more socket from `address`, or throws RATE_LIMITED; `release` when it closes. */
  async admitSocket(address: string): Promise<void> {
    if (this.isExempt(address)) return;
    await consumeOrRefuse(this.handshakes, address, 'Too many connections from this address, slow down');
    const open = this.open.get(address) ?? 0;
    if (open >= this.config.RATE_LIMIT_SOCKETS_PER_IP) {
      this.metrics.refused('sockets_per_ip');
      throw new DomainError(ErrorCode.RATE_LIMITED, 'Too many open connections from this address', 5);
    }
    this.open.set(address, open + 1);
  }

  releaseSocket(address: string): void {
    if (this.isExempt(address)) return;
    const open = (this.open.get(address) ?? 1) - 1;
    if (open > 0) this.open.set(address, open);
    else this.open.delete(address);
  }
}
