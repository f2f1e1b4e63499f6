import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JsMsg,
  JSONCodec,
  NatsConnection,
  ConsumerMessages,
  RetentionPolicy,
  StorageType,
  nanos,
} from 'nats';
import type { RoomEvent } from '@app/contracts';
import { NATS_CONNECTION } from '@app/nats';
import { SearchConfig, instanceNameOf } from './search.config';
import { SearchIndex } from './search-index';

/** The stream of every room's events (`chat.room.<id>.events.v1`), kept for SEARCH_RETENTION_DAYS. */
export const ROOM_EVENTS_STREAM = 'CHAT_ROOM_EVENTS';
const ROOM_EVENTS_SUBJECT = 'chat.room.*.events.v1';
/** Index writes are batched: at most this many events, or this long, per transaction. */
const BATCH_MAX = 500;
const BATCH_MS = 100;
const codec = JSONCodec<RoomEvent>();

/**
 * Feeds the index from the room events through JetStream: the stream keeps every event the message
 * service publishes, and this instance's durable consumer (`search-<instance>`) remembers how far its
 * index got. Events are acked only after the index transaction that holds them committed, so a
 * killed process loses nothing: the unacked ones come again after its restart (applying one twice
 * changes nothing: a message is keyed by its id). Each instance keeps an index of its own and indexes
 * each message once.
 */
@Injectable()
export class RoomEventIndexer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RoomEventIndexer.name);
  private messages?: ConsumerMessages;
  private pending: JsMsg[] = [];
  private timer?: NodeJS.Timeout;
  private loop?: Promise<void>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly index: SearchIndex,
    private readonly config: SearchConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const jsm = await this.nc.jetstreamManager();
    const stream = {
      name: ROOM_EVENTS_STREAM,
      subjects: [ROOM_EVENTS_SUBJECT],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      max_age: nanos(this.config.SEARCH_RETENTION_DAYS * 86_400_000),
    };
    try {
      await jsm.streams.info(ROOM_EVENTS_STREAM);
      await jsm.streams.update(ROOM_EVENTS_STREAM, { subjects: stream.subjects, max_age: stream.max_age });
    } catch {
      await jsm.streams.add(stream);
    }
    const durable = `search-${instanceNameOf(this.config)}`;
    await jsm.consumers.add(ROOM_EVENTS_STREAM, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: ROOM_EVENTS_SUBJECT,
      ack_wait: nanos(30_000),
      max_ack_pending: 20_000,
    });
    const consumer = await this.nc.jetstream().consumers.get(ROOM_EVENTS_STREAM, durable);
    this.messages = await consumer.consume({ max_messages: 1000 });
    this.timer = setInterval(() => this.flush(), BATCH_MS);
    this.loop = (async () => {
      for await (const m of this.messages!) {
        this.pending.push(m);
        if (this.pending.length >= BATCH_MAX) this.flush();
      }
    })().catch((err: unknown) => this.logger.error({ msg: 'room events consumer stopped', err: String(err) }));
    this.logger.log({
      msg: 'indexing room events',
      stream: ROOM_EVENTS_STREAM,
      consumer: durable,
      indexed: this.index.count(),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.messages?.close();
    await this.loop;
    this.flush();
    this.index.close();
  }

  /** Applies the pending events in order, in one transaction, then acks them. */
  private flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      this.index.transaction(() => {
        for (const m of batch) this.apply(m);
      });
    } catch (err) {
      // Not acked: JetStream delivers them again after ack_wait.
      this.logger.error({ msg: 'index write failed', err: String(err), events: batch.length });
      for (const m of batch) m.nak(1000);
      return;
    }
    for (const m of batch) m.ack();
  }

  private apply(m: JsMsg): void {
    let event: RoomEvent;
    try {
      event = codec.decode(m.data);
    } catch {
      return; // not ours to index
    }
    switch (event.type) {
      case 'message.new':
        if (event.message.body) this.index.put([{ message: event.message, roomKind: event.roomKind ?? 'private' }]);
        return;
      case 'message.updated':
        this.index.update(event.message);
        return;
      case 'message.deleted':
        this.index.remove([event.id]);
        return;
      case 'member.changed':
      case 'room.read':
        return;
    }
  }
}
