import { Injectable } from '@nestjs/common';
import { MessageView, RoomView } from '@app/contracts';
import { PresenceService } from '../presence/presence.service';
import { ChatSocket, channel } from '../socket/socket-events';
import { TypingService } from '../typing/typing.service';
import { RoomFanoutService } from './room-fanout.service';
import { RoomSequencer } from './room-sequencer.service';
import { RoomSubscriptionRegistry } from './room-subscription.registry';

/**
 * The one way a socket starts or stops receiving a chat room: the room's NATS subscription
 * (shared by this gateway's sockets), the sequencer's seed, and the local socket.io room the
 * fan-out emits to.
 */
@Injectable()
export class RoomStream {
  constructor(
    private readonly subscriptions: RoomSubscriptionRegistry,
    private readonly sequencer: RoomSequencer,
    private readonly fanout: RoomFanoutService,
    private readonly presence: PresenceService,
    private readonly typing: TypingService,
  ) {}

  /**
   * Subscribes for a socket that is not in the room yet (a handshake, a join under way), so an
   * event published meanwhile is held, not lost; `lastSeq`, when known, seeds the order.
   */
  hold(socket: ChatSocket, roomId: string, lastSeq?: number): void {
    this.subscriptions.acquire(roomId, socket.id);
    if (lastSeq !== undefined) this.sequencer.seed(roomId, lastSeq);
  }

  /** Undoes `hold` when what it waited for failed, unless the socket follows the room already. */
  unhold(socket: ChatSocket, roomId: string): void {
    if (!socket.rooms.has(channel.room(roomId))) this.subscriptions.release(roomId, socket.id);
  }

  /**
   * The socket receives the room's events from now on. `room` is what a reply or an event said;
   * messages this gateway delivered after that snapshot, before the socket was in, are replayed
   * to it (`replay: 'emit'`) or returned for its ack (`'return'`); none if it was in already.
   */
  follow(socket: ChatSocket, room: RoomView, replay: 'emit' | 'return' = 'emit'): MessageView[] {
    const local = channel.room(room.id);
    const already = socket.rooms.has(local);
    const opened = this.subscriptions.acquire(room.id, socket.id);
    this.sequencer.seed(room.id, room.lastSeq);
    // Subscribed only now, after the snapshot was taken: ask history for what was sent in between.
    if (opened) this.sequencer.catchUp(room.id);
    if (already) return [];
    void socket.join(local);
    this.presence.roomAttached(socket, room.id);
    const later = this.sequencer.deliveredAfter(room.id, room.lastSeq);
    if (replay === 'return') return later;
    this.fanout.replay(socket, later);
    return [];
  }

  unfollow(socket: ChatSocket, roomId: string): void {
    this.typing.socketLeftRoom(socket, roomId);
    void socket.leave(channel.room(roomId));
    this.subscriptions.release(roomId, socket.id);
  }

  /** A socket (or a handshake) went away: the subscriptions it held. */
  releaseSocket(socketId: string): void {
    this.subscriptions.releaseSocket(socketId);
  }
}
