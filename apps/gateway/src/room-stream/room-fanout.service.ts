import { Injectable } from '@nestjs/common';
import { MessageView, RoomEvent } from '@app/contracts';
import { MetricsService } from '../metrics/metrics.service';
import { ChatSocket, channel } from '../socket/socket-events';
import { SocketServerHolder } from '../socket/socket-server.holder';

type MemberChanged = Extract<RoomEvent, { type: 'member.changed' }>;
type MessageDeleted = Extract<RoomEvent, { type: 'message.deleted' }>;
type RoomRead = Extract<RoomEvent, { type: 'room.read' }>;

/**
 * Emits a room's events to this gateway's sockets in that room: one emit per local room, so
 * each socket gets each event once. The one place `message:new` leaves the gateway.
 */
@Injectable()
export class RoomFanoutService {
  constructor(
    private readonly sockets: SocketServerHolder,
    private readonly metrics: MetricsService,
  ) {}

  deliver(roomId: string, message: MessageView, receivedAt?: number): void {
    if (!this.sockets.ready) return;
    const local = channel.room(roomId);
    const count = this.sockets.server.sockets.adapter.rooms.get(local)?.size ?? 0;
    if (count === 0) return;
    this.sockets.server.to(local).emit('message:new', message);
    this.metrics.messagesOut.inc(count);
    if (receivedAt !== undefined) this.metrics.fanoutLatency.observe((performance.now() - receivedAt) / 1000);
  }

  /** Messages the room got before this socket was in it (RoomStream.follow): to that socket alone. */
  replay(socket: ChatSocket, messages: MessageView[]): void {
    for (const message of messages) socket.emit('message:new', message);
  }

  memberChanged(roomId: string, event: MemberChanged): void {
    if (!this.sockets.ready) return;
    this.sockets.server
      .to(channel.room(roomId))
      .emit('room:member', { roomId, user: event.user, change: event.change });
  }

  /** Edits, deletes and read pointers are not in the seq stream: emitted as they come, once per local room. */
  updated(roomId: string, message: MessageView): void {
    if (this.sockets.ready) this.sockets.server.to(channel.room(roomId)).emit('message:updated', message);
  }

  deleted(roomId: string, event: MessageDeleted): void {
    if (!this.sockets.ready) return;
    this.sockets.server.to(channel.room(roomId)).emit('message:deleted', { id: event.id, roomId, seq: event.seq });
  }

  read(roomId: string, event: RoomRead): void {
    if (!this.sockets.ready) return;
    this.sockets.server.to(channel.room(roomId)).emit('room:read', { roomId, user: event.user, seq: event.seq });
  }
}
