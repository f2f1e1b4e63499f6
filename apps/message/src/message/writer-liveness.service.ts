import { Inject, Injectable, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { WriterSubject } from '@app/contracts';
import { NATS_CONNECTION, NATS_SERVER, RequestServer } from '@app/nats';
import { ErrorCode, NatsConnection, NatsError, Subscription } from 'nats';

const NO_RESPONDERS: string = ErrorCode.NoResponders;
import { randomUUID } from 'node:crypto';

/** How long an alive writer has to answer; no answer in time counts as alive (busy, not gone). */
const ASK_TIMEOUT_MS = 500;

/**
 * This process as a writer (`owner` in the send keys it claims), answering on its own subject
 * while it runs; and the question whether another writer still runs. NATS drops a subscription
 * with its connection, so a writer killed or cut off has no responder: its claims can be taken over
 * at once. Taking over a live writer's claim is safe anyway (the (author, clientMsgId) index keeps
 * one copy); the answer only spares a retry the claim's lease.
 */
@Injectable()
export class WriterLiveness implements OnModuleInit, OnModuleDestroy {
  /** The instance's request address (RoomWriters hands sends to it): one name per instance. */
  readonly owner: string;
  private subscription?: Subscription;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Optional() @Inject(NATS_SERVER) server?: RequestServer,
  ) {
    this.owner = server?.address ?? randomUUID();
  }

  onModuleInit(): void {
    this.subscription = this.nc.subscribe(WriterSubject.alive(this.owner), {
      callback: (_err, msg) => msg.respond(),
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** False only when no process answers for `owner` (NATS says no responders). */
  async isAlive(owner: string): Promise<boolean> {
    if (owner === this.owner) return true;
    try {
      await this.nc.request(WriterSubject.alive(owner), undefined, { timeout: ASK_TIMEOUT_MS });
      return true;
    } catch (err) {
      return !(err instanceof NatsError && err.code === NO_RESPONDERS);
    }
  }
}
