import { Injectable, Logger } from '@nestjs/common';
import { ChatSubject, ErrorCode, SessionView } from '@app/contracts';
import { DomainError } from '@app/errors';
import { EventBus, RpcClient } from '@app/nats';
import { SESSION_COOKIE, readCookie } from '../auth/session-cookie';
import { SessionService } from '../auth/session.service';
import { OriginPolicy } from '../common/origin-policy';
import { RateLimitsService } from '../common/rate-limits.service';
import { DrainState } from '../lifecycle/drain-state';
import { MetricsService } from '../metrics/metrics.service';
import { PresenceService } from '../presence/presence.service';
import { RoomStream } from '../room-stream/room-stream.service';
import { ChatSocket, channel } from '../socket/socket-events';
import { SocketServerHolder } from '../socket/socket-server.holder';
import { TypingService } from '../typing/typing.service';
import { HandshakeGate } from './handshake-gate';
import { HandshakeRoomsService } from './handshake-rooms.service';
import { UserEventsService } from './user-events.service';

/** setTimeout's ceiling; a session further away than this is re-checked on the next reconnect. */
const MAX_TIMER_MS = 2_147_483_647;

/** A socket's life: handshake authentication, its rooms on connect, revocation, expiry, departure. */
@Injectable()
export class ConnectionService {
  private readonly logger = new Logger(ConnectionService.name);
  private readonly expiryTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly sessions: SessionService,
    private readonly rpc: RpcClient,
    private readonly events: EventBus,
    private readonly handshakes: HandshakeRoomsService,
    private readonly gate: HandshakeGate,
    private readonly stream: RoomStream,
    private readonly users: UserEventsService,
    private readonly sockets: SocketServerHolder,
    private readonly drain: DrainState,
    private readonly metrics: MetricsService,
    private readonly presence: PresenceService,
    private readonly typing: TypingService,
    private readonly limits: RateLimitsService,
    private readonly origins: OriginPolicy,
  ) {}

  /**
   * Handshake, before the client hears "connected": the session (the first valid of `auth.token`,
   * `Authorization: Bearer` and the `sid` cookie, as over HTTP), then the user's rooms,
   * subscribed already, so that nothing sent after the client connected can miss it. That part waits
   * its turn at the gate (HANDSHAKE_CONCURRENCY at once).
   */
  async authenticate(socket: ChatSocket): Promise<void> {
    if (this.drain.stopping) throw DomainError.unavailable('This gateway is shutting down');
    const address = this.limits.addressOf(socket.request);
    await this.limits.admitSocket(address);
    socket.data.address = address;
    socket.data.exempt = this.limits.isExempt(address);
    // A handshake that never becomes a connection gets no disconnect event: let go on transport close.
    socket.conn.once('close', () => {
      this.limits.releaseSocket(address);
      this.release(socket.id);
    });
    await this.gate.run(async () => {
      // Gone while it waited its turn: nothing to load (the close above already let go).
      if (socket.conn.readyState !== 'open')
        throw DomainError.unavailable('The connection closed during the handshake');
      const session = await this.sessionOf(socket);
      socket.data.session = session;
      try {
        // The user subject first, so a membership change while the list is read is not lost.
        this.users.acquire(session.user.id, socket.id);
        this.handshakes.begin(socket, session.user.id);
        const { id, username } = session.user;
        const { rooms } = await this.rpc.request(ChatSubject.ListRooms, { actor: { id, username }, memberOnly: true });
        this.handshakes.settle(socket.id, rooms);
        await this.events.flush();
      } catch (err) {
        this.release(socket.id);
        throw err;
      }
    });
  }

  /** Runs in the tick the client is told it is connected: channels, rooms, and what they delivered meanwhile. */
  onConnect(socket: ChatSocket): void {
    const { session } = socket.data;
    const rooms = this.handshakes.finish(socket.id);
    this.metrics.socketsConnected.inc();
    if (this.sessions.isRevoked(session.sessionId)) {
      this.revoke(socket);
      return;
    }
    void socket.join([channel.session(session.sessionId), channel.user(session.user.id)]);
    for (const room of rooms) this.stream.follow(socket, room);
    this.presence.socketConnected(
      socket,
      rooms.map((r) => r.id),
    );
    this.scheduleExpiry(socket, session.expiresAt);
  }

  onDisconnect(socket: ChatSocket): void {
    this.metrics.socketsConnected.dec();
    clearTimeout(this.expiryTimers.get(socket.id));
    this.expiryTimers.delete(socket.id);
    // A disconnect ends typing at once; presence goes offline with the user's last socket anywhere.
    this.typing.socketGone(socket);
    this.presence.socketGone(socket);
    this.release(socket.id);
  }

  /** A session ended somewhere: refuse its token here and close its sockets. */
  revokeSession(sessionId: string): void {
    this.sessions.revoke(sessionId);
    for (const socket of this.sockets.socketsIn(channel.session(sessionId))) this.revoke(socket);
  }

  /** A handshake resting on the cookie alone must come from an allowed origin (cross-site WebSocket hijacking). */
  private async sessionOf(socket: ChatSocket): Promise<SessionView> {
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

  private release(socketId: string): void {
    this.handshakes.abort(socketId);
    this.stream.releaseSocket(socketId);
    this.users.releaseSocket(socketId);
  }

  private revoke(socket: ChatSocket): void {
    socket.emit('session:revoked', {});
    // disconnect(true): the client is told not to reconnect with this session.
    socket.disconnect(true);
  }

  private scheduleExpiry(socket: ChatSocket, expiresAt: string): void {
    const ms = Date.parse(expiresAt) - Date.now();
    if (!Number.isFinite(ms) || ms > MAX_TIMER_MS) return;
    const timer = setTimeout(() => this.revoke(socket), Math.max(0, ms));
    timer.unref();
    this.expiryTimers.set(socket.id, timer);
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
