import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { EventSubject } from '@app/contracts';
import { EventBus } from '@app/nats';
import { isKnownIdShape } from '../common/ids';
import { RefCountedSubscriptions } from '../common/ref-counted-subscriptions';
import { RoomMembershipService } from '../room-stream/room-membership.service';

/** One NATS subscription per user with sockets here, for the membership changes they act on. */
@Injectable()
export class UserSubscriptionRegistry implements OnApplicationShutdown {
  private readonly subscriptions = new RefCountedSubscriptions((userId) => {
    const sub = this.events.subscribe(EventSubject.user(userId), (event) => this.membership.onUserEvent(userId, event));
    return () => sub.unsubscribe();
  });

  constructor(
    private readonly events: EventBus,
    private readonly membership: RoomMembershipService,
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
}
