import { Injectable, Logger } from '@nestjs/common';
import { ChatSubject, HistoryReply, MessageView, RoomEvent } from '@app/contracts';
import { RpcClient } from '@app/nats';
import { MetricsService } from '../metrics/metrics.service';
import { channel } from '../socket/socket-events';
import { SocketServerHolder } from '../socket/socket-server.holder';
import { SequencerSink } from './room-sequencer.service';

type MemberChanged = Extract<RoomEvent, { type: 'member.changed' }>;
type MessageDeleted = Extract<RoomEvent, { type: 'message.deleted' }>;
type RoomRead = Extract<RoomEvent, { type: 'room.read' }>;

/**
 * Emits a room's events to this gateway's sockets in that room: one emit per local room, so
 * each socket gets each event once. Also fetches history for the sequencer's gap fills.
 */
@Injectable()
export class RoomFanoutService implements SequencerSink {
  private readonly logger = new Logger(RoomFanoutService.name);

  constructor(
    private readonly sockets: SocketServerHolder,
    private readonly rpc: RpcClient,
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

  /** Reads history as one of the room's local members: private rooms answer members only. */
  async fetchAfter(roomId: string, afterSeq: number, limit: number): Promise<HistoryReply | null> {
    const [member] = this.sockets.socketsIn(channel.room(roomId));
    if (!member) return null;
    const { id, username } = member.data.session.user;
    try {
      return await this.rpc.request(ChatSubject.History, { actor: { id, username }, roomId, after: afterSeq, limit });
    } catch (err) {
      this.logger.warn({ msg: 'history for a gap fill failed', roomId, afterSeq, err });
      return null;
    }
  }
}
