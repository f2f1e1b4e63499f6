import { Injectable } from '@nestjs/common';
import { ErrorCode, SessionView } from '@app/contracts';
import { DomainError } from '@app/errors';
import { SESSION_COOKIE, readCookie } from '../auth/session-cookie';
import { SessionService } from '../auth/session.service';
import { OriginPolicy } from '../common/origin-policy';
import { RateLimitsService } from '../common/rate-limits.service';
import { DrainState } from '../lifecycle/drain-state';
import { ChatSocket } from '../socket/socket-events';

/** Who may open a socket: a gateway that is not stopping, an address under its limit, a valid session. */
@Injectable()
export class SocketAuthService {
  constructor(
    private readonly sessions: SessionService,
    private readonly limits: RateLimitsService,
    private readonly origins: OriginPolicy,
    private readonly drain: DrainState,
  ) {}

  /** Counts the socket against its address (under TRUST_PROXY) until its transport closes. */
  async admit(socket: ChatSocket): Promise<void> {
    if (this.drain.stopping) throw DomainError.unavailable('This gateway is shutting down');
    const address = this.limits.addressOf(socket.request);
    await this.limits.admitSocket(address);
    socket.data.address = address;
    socket.data.exempt = this.limits.isExempt(address);
    socket.conn.once('close', () => this.limits.releaseSocket(address));
  }

  /**
   * The first valid of `auth.token`, `Authorization: Bearer` and the `sid` cookie, as over HTTP.
   * A handshake resting on the cookie alone must come from an allowed origin (cross-site WebSocket hijacking).
   */
  async sessionOf(socket: ChatSocket): Promise<SessionView> {
    const { explicit, cookie } = tokensOf(socket);
    for (const token of explicit) {
      const session = await this.sessions.tryVerify(token);
      if (session) return session;
    }
    if (cookie) {
      const session = await this.sessions.tryVerify(cookie);
      if (session) {
        this.origins.assert(socket.handshake.headers.origin, socket.handshake.headers.host);
        return session;
      }
    }
    throw new DomainError(ErrorCode.UNAUTHORIZED, 'A valid session is required');
  }
}

/** Tokens given explicitly (`auth.token`, then `Authorization: Bearer`), and the `sid` cookie's. */
function tokensOf(socket: ChatSocket): { explicit: string[]; cookie?: string } {
  const auth = socket.handshake.auth as Record<string, unknown> | undefined;
  const header = socket.handshake.headers.authorization;
  const explicit = [
    typeof auth?.token === 'string' ? auth.token : undefined,
    typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined,
  ].filter((t): t is string => t !== undefined && t.length > 0);
  const cookie = readCookie(socket.handshake.headers.cookie, SESSION_COOKIE);
  return { explicit, cookie: cookie ? cookie : undefined };
}
