import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ClientAck, EventSubject, TypingEvent, UserView } from '@app/contracts';
import { EventBus } from '@app/nats';
import { RateLimitsService, consumeOrRefuse } from '../common/rate-limits.service';
import { DrainState } from '../lifecycle/drain-state';
import { LocalMemberService } from '../room-stream/local-member.service';
import { answer } from '../socket/socket-answer';
import { ChatSocket, channel } from '../socket/socket-events';
import { SocketServerHolder } from '../socket/socket-server.holder';
import { TypingLapses } from './typing-lapses';
import { TypingThrottle } from './typing-throttle';

/**
 * `typing`: a member's socket says it is (or stopped) typing; this gateway publishes it on the
 * room's typing subject, throttled. Every gateway with sockets in the room hears it and tells the
 * room's other members' sockets (none of the typer's own), timing each `typing: true` out itself.
 */
@Injectable()
export class TypingService implements OnApplicationShutdown {
  private readonly logger = new Logger(TypingService.name);
  private readonly throttle = new TypingThrottle();
  private readonly lapses = new TypingLapses((roomId, user, typing) => this.emit(roomId, user, typing));

  constructor(
    private readonly events: EventBus,
    private readonly members: LocalMemberService,
    private readonly sockets: SocketServerHolder,
    private readonly drain: DrainState,
    private readonly limits: RateLimitsService,
  ) {}

  command(socket: ChatSocket, payload: unknown): Promise<ClientAck<'typing'>> {
    const context = { drain: this.drain, logger: this.logger };
    return answer(context, socket, 'typing', payload, async ({ roomId, typing }) => {
      if (!socket.data.exempt) {
        await consumeOrRefuse(this.limits.typing, socket.data.session.user.id, 'Too many typing events, slow down');
      }
      await this.members.assertMember(socket, roomId);
      if (this.throttle.update(socket.id, roomId, typing, Date.now())) this.publish(socket, roomId, typing);
      return {};
    });
  }

  /** An event from the room's typing subject (this gateway's own included). */
  onRemote(roomId: string, event: TypingEvent): void {
    const { user } = event;
    if (event.roomId !== roomId || typeof event.typing !== 'boolean' || typeof user?.id !== 'string') return;
    this.lapses.apply(roomId, { id: user.id, username: user.username }, event.typing);
  }

  /** A disconnect ends the socket's typing at once, everywhere. */
  socketGone(socket: ChatSocket): void {
    for (const roomId of this.throttle.release(socket.id, Date.now())) this.publish(socket, roomId, false);
  }

  /** Leaving a room ends typing there. */
  socketLeftRoom(socket: ChatSocket, roomId: string): void {
    for (const id of this.throttle.release(socket.id, Date.now(), roomId)) this.publish(socket, id, false);
  }

  /** This gateway stopped following the room: no local socket is left to tell. */
  roomClosed(roomId: string): void {
    this.lapses.dropRoom(roomId);
  }

  onApplicationShutdown(): void {
    this.lapses.clearAll();
  }

  private publish(socket: ChatSocket, roomId: string, typing: boolean): void {
    const { id, username } = socket.data.session.user;
    try {
      this.events.publish(EventSubject.typing(roomId), { roomId, user: { id, username }, typing });
    } catch (err) {
      // NATS refuses publishing while it drains (shutdown); receivers lapse it anyway.
      this.logger.warn({ msg: 'typing not published', roomId, err });
    }
  }

  private emit(roomId: string, user: UserView, typing: boolean): void {
    if (!this.sockets.ready) return;
    this.sockets.server.to(channel.room(roomId)).except(channel.user(user.id)).emit('typing', { roomId, user, typing });
  }
}
