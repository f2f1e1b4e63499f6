import { Injectable } from '@nestjs/common';
import { RoomView, UserEvent } from '@app/contracts';
import { isKnownIdShape } from '../common/ids';
import { RoomSequencer } from '../room-stream/room-sequencer.service';
import { RoomSubscriptionRegistry } from '../room-stream/room-subscription.registry';

interface Handshake {
  userId: string;
  /** `null` until the room list has been read. */
  rooms: Map<string, RoomView> | null;
  /** Membership changes heard before the list was read, applied on top of it. */
  early: UserEvent[];
}

/**
 * The rooms of sockets still in their handshake. They are subscribed before the client hears
 * "connected", and membership changes heard meanwhile (the socket is in no channel yet) are
 * applied to the list, so a socket is never joined to a room its user just left.
 */
@Injectable()
export class HandshakeRoomsService {
  private readonly pending = new Map<string, Handshake>();

  constructor(
    private readonly registry: RoomSubscriptionRegistry,
    private readonly sequencer: RoomSequencer,
  ) {}

  begin(socketId: string, userId: string): void {
    this.pending.set(socketId, { userId, rooms: null, early: [] });
  }

  /** The list as read from the message service: each room subscribed and seeded. */
  settle(socketId: string, rooms: RoomView[]): void {
    const handshake = this.pending.get(socketId);
    if (!handshake) return;
    handshake.rooms = new Map();
    for (const room of rooms) this.add(socketId, handshake, room);
    for (const event of handshake.early) this.apply(socketId, handshake, event);
    handshake.early = [];
  }

  /** The rooms to join now that the socket is connected. */
  finish(socketId: string): RoomView[] {
    const handshake = this.pending.get(socketId);
    this.pending.delete(socketId);
    return [...(handshake?.rooms?.values() ?? [])];
  }

  /** Forgets a handshake that failed; its subscriptions are released with the socket's. */
  abort(socketId: string): void {
    this.pending.delete(socketId);
  }

  onUserEvent(userId: string, event: UserEvent): void {
    for (const [socketId, handshake] of this.pending) {
      if (handshake.userId !== userId) continue;
      if (handshake.rooms === null) handshake.early.push(event);
      else this.apply(socketId, handshake, event);
    }
  }

  private apply(socketId: string, handshake: Handshake, event: UserEvent): void {
    switch (event.type) {
      case 'room.added':
        this.add(socketId, handshake, event.room);
        return;
      case 'room.removed':
        if (handshake.rooms?.delete(event.roomId)) this.registry.release(event.roomId, socketId);
        return;
      case 'mention':
        // Sent to the sockets once they are open; a handshake still loading its rooms misses it,
        // and its room list carries the count.
        return;
    }
  }

  private add(socketId: string, handshake: Handshake, room: RoomView): void {
    if (!isKnownIdShape(room.id) || handshake.rooms?.has(room.id)) return;
    handshake.rooms?.set(room.id, room);
    this.registry.acquire(room.id, socketId);
    this.sequencer.seed(room.id, room.lastSeq);
  }
}
