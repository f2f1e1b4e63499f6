import { Injectable } from '@nestjs/common';
import { ChatSubject, RoomView, UserEvent } from '@app/contracts';
import { EventBus, RpcClient } from '@app/nats';
import { isKnownIdShape } from '../common/ids';
import { RoomStream } from '../room-stream/room-stream.service';
import { ChatSocket } from '../socket/socket-events';

interface Handshake {
  socket: ChatSocket;
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
    private readonly stream: RoomStream,
    private readonly rpc: RpcClient,
    private readonly events: EventBus,
  ) {}

  /** Reads the user's rooms from the message service: each room subscribed and seeded. */
  async load(socket: ChatSocket): Promise<void> {
    const { id, username } = socket.data.session.user;
    this.pending.set(socket.id, { socket, userId: id, rooms: null, early: [] });
    const { rooms } = await this.rpc.request(ChatSubject.ListRooms, { actor: { id, username }, memberOnly: true });
    this.settle(socket.id, rooms);
    await this.events.flush();
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
    for (const handshake of this.pending.values()) {
      if (handshake.userId !== userId) continue;
      if (handshake.rooms === null) handshake.early.push(event);
      else this.apply(handshake, event);
    }
  }

  /** The list as read, then what was heard while it was read. */
  private settle(socketId: string, rooms: RoomView[]): void {
    const handshake = this.pending.get(socketId);
    if (!handshake) return;
    handshake.rooms = new Map();
    for (const room of rooms) this.add(handshake, room);
    for (const event of handshake.early) this.apply(handshake, event);
    handshake.early = [];
  }

  private apply(handshake: Handshake, event: UserEvent): void {
    switch (event.type) {
      case 'room.added':
        this.add(handshake, event.room);
        return;
      case 'room.removed':
        if (handshake.rooms?.delete(event.roomId)) this.stream.unhold(handshake.socket, event.roomId);
        return;
      case 'mention':
        // Sent to the sockets once they are open; a handshake still loading its rooms misses it,
        // and its room list carries the count.
        return;
    }
  }

  private add(handshake: Handshake, room: RoomView): void {
    if (!isKnownIdShape(room.id) || handshake.rooms?.has(room.id)) return;
    handshake.rooms?.set(room.id, room);
    this.stream.hold(handshake.socket, room.id, room.lastSeq);
  }
}
