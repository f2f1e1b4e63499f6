import { Injectable } from '@nestjs/common';
import { MessageView, RoomView, UserEvent } from '@app/contracts';
import { HandshakeRoomsService } from '../connection/handshake-rooms.service';
import { PresenceService } from '../presence/presence.service';
import { ChatSocket, channel } from '../socket/socket-events';
import { SocketServerHolder } from '../socket/socket-server.holder';
import { TypingService } from '../typing/typing.service';
import { RoomSequencer } from './room-sequencer.service';
import { RoomSubscriptionRegistry } from './room-subscription.registry';

/** Puts sockets into (and out of) the local room of a chat room, keeping the subscriptions in step. */
@Injectable()
export class RoomMembershipService {
  constructor(
    private readonly rooms: RoomSubscriptionRegistry,
    private readonly sequencer: RoomSequencer,
    private readonly sockets: SocketServerHolder,
    private readonly handshakes: HandshakeRoomsService,
    private readonly presence: PresenceService,
    private readonly typing: TypingService,
  ) {}

  /** Reserves the room's subscription before the request that makes the socket a member. */
  reserve(socket: ChatSocket, roomId: string): void {
    this.rooms.acquire(roomId, socket.id);
  }

  /** Undoes `reserve` when the request failed, unless the socket was already in the room. */
  unreserve(socket: ChatSocket, roomId: string): void {
    if (!socket.rooms.has(channel.room(roomId))) this.rooms.release(roomId, socket.id);
  }

  /**
   * The socket receives the room's events from now on. `room` is what a reply said; messages
   * this gateway delivered after that snapshot, before the socket was in, are returned (none
   * if it was in already).
   */
  attach(socket: ChatSocket, room: RoomView): MessageView[] {
    const local = channel.room(room.id);
    const already = socket.rooms.has(local);
    this.rooms.acquire(room.id, socket.id);
    this.sequencer.seed(room.id, room.lastSeq);
    if (already) return [];
    void socket.join(local);
    this.presence.roomAttached(socket, room.id);
    return this.sequencer.deliveredAfter(room.id, room.lastSeq);
  }

  detach(socket: ChatSocket, roomId: string): void {
    this.typing.socketLeftRoom(socket, roomId);
    void socket.leave(channel.room(roomId));
    this.rooms.release(roomId, socket.id);
  }

  /** Membership changed elsewhere (HTTP, another gateway, another member): every local socket of the user follows. */
  onUserEvent(userId: string, event: UserEvent): void {
    this.handshakes.onUserEvent(userId, event);
    for (const socket of this.sockets.socketsIn(channel.user(userId))) {
      switch (event.type) {
        case 'room.added': {
          // Subscribed only now, from the event's snapshot: ask history for what was sent in between.
          const opened = !this.rooms.isSubscribed(event.room.id);
          socket.emit('room:added', { room: event.room });
          for (const m of this.attach(socket, event.room)) socket.emit('message:new', m);
          if (opened) this.sequencer.catchUp(event.room.id);
          break;
        }
        case 'room.removed':
          this.detach(socket, event.roomId);
          socket.emit('room:removed', { roomId: event.roomId });
          break;
        case 'mention':
          socket.emit('mention', { roomId: event.roomId, message: event.message });
          break;
      }
    }
  }
}
