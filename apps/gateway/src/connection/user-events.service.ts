import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { EventSubject, UserEvent } from '@app/contracts';
import { EventBus } from '@app/nats';
import { isKnownIdShape } from '../common/ids';
import { RefCountedSubscriptions } from '../common/ref-counted-subscriptions';
import { RoomStream } from '../room-stream/room-stream.service';
import { channel } from '../socket/socket-events';
import { SocketServerHolder } from '../socket/socket-server.holder';
import { HandshakeRoomsService } from './handshake-rooms.service';

/**
 * One NATS subscription per user with sockets here, for the membership changes made elsewhere
 * (HTTP, another gateway, another member): every local socket of the user follows them.
 */
@Injectable()
export class UserEventsService implements OnApplicationShutdown {
  private readonly subscriptions = new RefCountedSubscriptions((userId) => {
    const sub = this.events.subscribe(EventSubject.user(userId), (event) => this.onUserEvent(userId, event));
    return () => sub.unsubscribe();
  });

  constructor(
    private readonly events: EventBus,
    private readonly sockets: SocketServerHolder,
    private readonly stream: RoomStream,
    private readonly handshakes: HandshakeRoomsService,
  ) {}

  acquire(userId: string, socketId: string): void {
    if (!isKnownIdShape(userId)) throw new Error(`user id ${JSON.stringify(userId)} cannot be a subject token`);
    this.subscriptions.acquire(userId, socketId);
  }

  releaseSocket(socketId: string): void {
    this.subscriptions.releaseHolder(socketId);
  }

  onApplicationShutdown(): void {
    this.subscriptions.closeAll();
  }

  private onUserEvent(userId: string, event: UserEvent): void {
    this.handshakes.onUserEvent(userId, event);
    for (const socket of this.sockets.socketsIn(channel.user(userId))) {
      switch (event.type) {
        case 'room.added':
          socket.emit('room:added', { room: event.room });
          this.stream.follow(socket, event.room);
          break;
        case 'room.removed':
          this.stream.unfollow(socket, event.roomId);
          socket.emit('room:removed', { roomId: event.roomId });
          break;
        case 'mention':
          socket.emit('mention', { roomId: event.roomId, message: event.message });
          break;
      }
    }
  }
}
