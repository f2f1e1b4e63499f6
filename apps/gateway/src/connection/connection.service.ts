import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/errors';
import { MetricsService } from '../metrics/metrics.service';
import { PresenceService } from '../presence/presence.service';
import { RoomStream } from '../room-stream/room-stream.service';
import { ChatSocket, channel } from '../socket/socket-events';
import { TypingService } from '../typing/typing.service';
import { HandshakeGate } from './handshake-gate';
import { HandshakeRoomsService } from './handshake-rooms.service';
import { SessionRevocationService } from './session-revocation.service';
import { SocketAuthService } from './socket-auth.service';
import { UserEventsService } from './user-events.service';

/** A socket's life: admission and session at the handshake, its rooms on connect, departure. */
@Injectable()
export class ConnectionService {
  constructor(
    private readonly auth: SocketAuthService,
    private readonly handshakes: HandshakeRoomsService,
    private readonly gate: HandshakeGate,
    private readonly users: UserEventsService,
    private readonly stream: RoomStream,
    private readonly revocation: SessionRevocationService,
    private readonly presence: PresenceService,
    private readonly typing: TypingService,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Handshake, before the client hears "connected": the session, then the user's rooms,
   * subscribed already, so that nothing sent after the client connected can miss it. That part waits
   * its turn at the gate (HANDSHAKE_CONCURRENCY at once).
   */
  async authenticate(socket: ChatSocket): Promise<void> {
    await this.auth.admit(socket);
    // A handshake that never becomes a connection gets no disconnect event: let go on transport close.
    socket.conn.once('close', () => this.release(socket.id));
    await this.gate.run(async () => {
      // Gone while it waited its turn: nothing to load (the close above already let go).
      if (socket.conn.readyState !== 'open') throw closedMeanwhile();
      const session = await this.auth.sessionOf(socket);
      socket.data.session = session;
      try {
        // The user subject first, so a membership change while the list is read is not lost.
        this.users.acquire(session.user.id, socket.id);
        await this.handshakes.load(socket);
        // Closed while it loaded: the close above let go before these were taken, so let go again.
        if (socket.conn.readyState !== 'open') throw closedMeanwhile();
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
    if (this.revocation.revokedMeanwhile(socket)) return;
    void socket.join([channel.session(session.sessionId), channel.user(session.user.id)]);
    for (const room of rooms) this.stream.follow(socket, room);
    this.presence.socketConnected(
      socket,
      rooms.map((r) => r.id),
    );
    this.revocation.scheduleExpiry(socket);
  }

  onDisconnect(socket: ChatSocket): void {
    this.metrics.socketsConnected.dec();
    this.revocation.forget(socket.id);
    // A disconnect ends typing at once; presence goes offline with the user's last socket anywhere.
    this.typing.socketGone(socket);
    this.presence.socketGone(socket);
    this.release(socket.id);
  }

  private release(socketId: string): void {
    this.handshakes.abort(socketId);
    this.stream.releaseSocket(socketId);
    this.users.releaseSocket(socketId);
  }
}

function closedMeanwhile(): DomainError {
  return DomainError.unavailable('The connection closed during the handshake');
}
