import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { EventSubject, MessageView, RoomEvent } from '@app/contracts';
import { DomainError } from '@app/errors';
import { EventBus } from '@app/nats';
import { isKnownIdShape } from '../common/ids';
import { RefCountedSubscriptions } from '../common/ref-counted-subscriptions';
import { MetricsService } from '../metrics/metrics.service';
import { TypingService } from '../typing/typing.service';
import { RoomFanoutService } from './room-fanout.service';
import { RoomSequencer } from './room-sequencer.service';

/**
 * Interest-based fan-out: one NATS subscription per chat room this gateway holds sockets for
 * (or is about to), shared by those sockets and dropped when the last one leaves.
 */
@Injectable()
export class RoomSubscriptionRegistry implements OnApplicationShutdown {
  private readonly subscriptions = new RefCountedSubscriptions((roomId) => {
    this.sequencer.open(roomId);
    const sub = this.events.subscribe(EventSubject.room(roomId), (event) => this.onEvent(roomId, event));
    // Typing rides a subject of its own, with the same interest: the sequencer never sees it.
    const typingSub = this.events.subscribe(EventSubject.typing(roomId), (event) =>
      this.typing.onRemote(roomId, event),
    );
    this.metrics.roomSubscriptions.inc();
    return () => {
      sub.unsubscribe();
      typingSub.unsubscribe();
      this.typing.roomClosed(roomId);
      this.sequencer.close(roomId);
      this.metrics.roomSubscriptions.dec();
    };
  });

  constructor(
    private readonly events: EventBus,
    private readonly sequencer: RoomSequencer,
    private readonly fanout: RoomFanoutService,
    private readonly typing: TypingService,
    private readonly metrics: MetricsService,
  ) {}

  /** True when this call opened the room's subscription. */
  acquire(roomId: string, socketId: string): boolean {
    // The id becomes a subject token: one with `.`, `*` or `>` would widen the subscription.
    if (!isKnownIdShape(roomId)) throw DomainError.notFound('Room not found');
    return this.subscriptions.acquire(roomId, socketId);
  }

  release(roomId: string, socketId: string): void {
    this.subscriptions.release(roomId, socketId);
  }

  releaseSocket(socketId: string): void {
    this.subscriptions.releaseHolder(socketId);
  }

  onApplicationShutdown(): void {
    this.subscriptions.closeAll();
  }

  private onEvent(roomId: string, event: RoomEvent): void {
    switch (event.type) {
      case 'message.new':
        if (event.message.roomId === roomId) this.sequencer.push(roomId, event.message);
        return;
      case 'member.changed':
        this.fanout.memberChanged(roomId, event);
        return;
      // Outside the seq order: delivered at once. The sequencer only revises its held copies, so
      // a join's catch-up and a gap fill never hand out the version from before the change.
      case 'message.updated':
        if (event.message.roomId !== roomId) return;
        this.sequencer.revise(roomId, event.message.seq, () => event.message);
        this.fanout.updated(roomId, event.message);
        return;
      case 'message.deleted':
        if (event.roomId !== roomId) return;
        this.sequencer.revise(roomId, event.seq, (m) => tombstoneOf(m));
        this.fanout.deleted(roomId, event);
        return;
      case 'room.read':
        if (event.roomId === roomId) this.fanout.read(roomId, event);
        return;
    }
  }
}

function tombstoneOf(message: MessageView): MessageView {
  const { editedAt: _editedAt, ...rest } = message;
  return { ...rest, body: '', deleted: true };
}
