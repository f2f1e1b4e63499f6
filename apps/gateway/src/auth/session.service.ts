import { Injectable } from '@nestjs/common';
import { AuthSubject, ErrorCode, SessionView } from '@app/contracts';
import { DomainError } from '@app/errors';
import { RpcClient } from '@app/nats';
import { createHash } from 'node:crypto';
import { GatewayConfig } from '../gateway.config';

interface CacheEntry {
  session: SessionView;
  until: number;
}

const TOKEN_MAX = 1024;
const CACHE_MAX = 10_000;
/** A Verify answered just before a revocation may arrive just after it: remember revocations that long. */
const REVOKED_MEMORY_MS = 60_000;

/**
 * Verifies session tokens with the auth service, caching each answer for SESSION_CACHE_TTL_MS
 * under the token's hash (never the token itself). Revocation evicts at once.
 */
@Injectable()
export class SessionService {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly pending = new Map<string, Promise<SessionView>>();
  private readonly revoked = new Map<string, number>();

  constructor(
    private readonly rpc: RpcClient,
    private readonly config: GatewayConfig,
  ) {}

  /** The session a token names: UNAUTHORIZED if none, UNAVAILABLE if auth does not answer. */
  async verify(token: string): Promise<SessionView> {
    if (token.length === 0 || token.length > TOKEN_MAX) throw unauthorized();
    const key = createHash('sha256').update(token).digest('hex');
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now() && !this.isRevoked(hit.session.sessionId)) return hit.session;
    this.cache.delete(key);
    let pending = this.pending.get(key);
    if (!pending) {
      // Concurrent requests with one token share one round trip.
      pending = this.fetch(key, token).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return pending;
  }

  /** Like `verify`, but a refused token is `null`: only an outage is an error (passport: fail vs error). */
  async tryVerify(token: string | undefined): Promise<SessionView | null> {
    if (token === undefined) return null;
    try {
      return await this.verify(token);
    } catch (e) {
      if (e instanceof DomainError && e.code === ErrorCode.UNAUTHORIZED) return null;
      throw e;
    }
  }

  revoke(sessionId: string): void {
    const now = Date.now();
    this.revoked.set(sessionId, now + REVOKED_MEMORY_MS);
    for (const [key, entry] of this.cache) {
      if (entry.session.sessionId === sessionId) this.cache.delete(key);
    }
    for (const [id, until] of this.revoked) {
      if (until <= now) this.revoked.delete(id);
    }
  }

  isRevoked(sessionId: string): boolean {
    const until = this.revoked.get(sessionId);
    return until !== undefined && until > Date.now();
  }

  private async fetch(key: string, token: string): Promise<SessionView> {
    let session: SessionView;
    try {
      session = await this.rpc.request(AuthSubject.Verify, { token });
    } catch (e) {
      if (e instanceof DomainError && e.code !== ErrorCode.UNAVAILABLE && e.code !== ErrorCode.INTERNAL) {
        throw unauthorized();
      }
      throw e;
    }
    const now = Date.now();
    const expires = Date.parse(session.expiresAt);
    if (this.isRevoked(session.sessionId) || !(expires > now)) throw unauthorized();
    const ttl = this.config.SESSION_CACHE_TTL_MS;
    if (ttl > 0) {
      if (this.cache.size >= CACHE_MAX) this.pruneCache(now);
      this.cache.set(key, { session, until: Math.min(now + ttl, expires) });
    }
    return session;
  }

  private pruneCache(now: number): void {
    for (const [key, entry] of this.cache) {
      if (entry.until <= now) this.cache.delete(key);
    }
    // Still full of live entries: drop the oldest insertions.
    for (const key of this.cache.keys()) {
      if (this.cache.size < CACHE_MAX) break;
      this.cache.delete(key);
    }
  }
}

function unauthorized(): DomainError {
  return new DomainError(ErrorCode.UNAUTHORIZED, 'Invalid or expired session');
}
