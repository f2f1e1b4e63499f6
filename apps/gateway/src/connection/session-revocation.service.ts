import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventSubject } from '@app/contracts';
import { EventBus } from '@app/nats';
import { SessionService } from '../auth/session.service';
import { ChatSocket, channel } from '../socket/socket-events';
import { SocketServerHolder } from '../socket/socket-server.holder';

/** setTimeout's ceiling; a session further away than this is re-checked on the next reconnect. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * A socket lasts as long as its session. Every gateway hears every revocation (a plain
 * subscription, never a queue group), from boot: the cached session goes and its sockets are told,
 * then disconnected. A socket whose session reaches `expiresAt` goes the same way.
 */
@Injectable()
export class SessionRevocationService implements OnModuleInit {
  private readonly expiryTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly events: EventBus,
    private readonly sessions: SessionService,
    private readonly sockets: SocketServerHolder,
  ) {}

  async onModuleInit(): Promise<void> {
    this.events.subscribe(EventSubject.SessionRevoked, (event) => this.revokeSession(event.sessionId));
    await this.events.flush();
  }

  /** A session ended somewhere: refuse its token here and close its sockets. */
  revokeSession(sessionId: string): void {
    this.sessions.revoke(sessionId);
    for (const socket of this.sockets.socketsIn(channel.session(sessionId))) this.revoke(socket);
  }

  /** True, and the socket told and disconnected, when its session ended while it was connecting. */
  revokedMeanwhile(socket: ChatSocket): boolean {
    if (!this.sessions.isRevoked(socket.data.session.sessionId)) return false;
    this.revoke(socket);
    return true;
  }

  scheduleExpiry(socket: ChatSocket): void {
    const ms = Date.parse(socket.data.session.expiresAt) - Date.now();
    if (!Number.isFinite(ms) || ms > MAX_TIMER_MS) return;
    const timer = setTimeout(() => this.revoke(socket), Math.max(0, ms));
    timer.unref();
    this.expiryTimers.set(socket.id, timer);
  }

  forget(socketId: string): void {
    clearTimeout(this.expiryTimers.get(socketId));
    this.expiryTimers.delete(socketId);
  }

  private revoke(socket: ChatSocket): void {
    socket.emit('session:revoked', {});
    // disconnect(true): the client is told not to reconnect with this session.
    socket.disconnect(true);
  }
}
