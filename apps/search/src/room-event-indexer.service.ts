import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import {
  AckPolicy,
  ConsumerEvents,
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
import { ChatSubject, type RoomEvent } from '@app/contracts';
import { NATS_CONNECTION, RpcClient, withOriginOf } from '@app/nats';
import { SearchConfig, instanceNameOf } from './search.config';
import { SearchIndex } from './search-index';

/** The stream of every room's events (`chat.room.<id>.events.v1`), kept for SEARCH_RETENTION_DAYS. */
export const ROOM_EVENTS_STREAM = 'CHAT_ROOM_EVENTS';
const ROOM_EVENTS_SUBJECT = 'chat.room.*.events.v1';
/** Index writes are batched: at most this many events, or this long, per transaction. */
const BATCH_MAX = 500;
const BATCH_MS = 100;
const codec = JSONCodec<RoomEvent>();
/** Pages of a rebuild from the store. */
const REBUILD_ROOMS = 500;
const REBUILD_MESSAGES = 200;
/** Set in the index once a rebuild from the store has finished. */
const REBUILT = 'rebuilt-from-store';

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
  private stopping = false;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly index: SearchIndex,
    private readonly config: SearchConfig,
    private readonly rpc: RpcClient,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The stream and the consumer exist before the service says it is up (a boot failure stops it).
    await this.setUp();
    this.timer = setInterval(() => this.flush(), BATCH_MS);
    // In the background: queries are served meanwhile (from what the index holds so far).
    this.loop = this.run();
  }

  private get durable(): string {
    return `search-${instanceNameOf(this.config)}`;
  }

  /** Creates (or updates) the stream and this instance's durable consumer: idempotent. */
  private async setUp(): Promise<void> {
    const jsm = await this.nc.jetstreamManager();
    const stream = {
      name: ROOM_EVENTS_STREAM,
      subjects: [ROOM_EVENTS_SUBJECT],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      max_age: nanos(this.config.SEARCH_RETENTION_DAYS * 86_400_000),
      max_bytes: this.config.SEARCH_STREAM_MAX_MB * 2 ** 20,
    };
    try {
      await jsm.streams.info(ROOM_EVENTS_STREAM);
      await jsm.streams.update(ROOM_EVENTS_STREAM, {
        subjects: stream.subjects,
        max_age: stream.max_age,
        max_bytes: stream.max_bytes,
      });
    } catch {
      await jsm.streams.add(stream);
    }
    await jsm.consumers.add(ROOM_EVENTS_STREAM, {
      durable_name: this.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: ROOM_EVENTS_SUBJECT,
      ack_wait: nanos(30_000),
      max_ack_pending: 20_000,
    });
  }

  /**
   * A new index (no finished rebuild recorded in it) is first rebuilt from the store, then the
   * stream is consumed: the events replayed after the rebuild apply edits and deletes on top of
   * what it read, in order, and the messages it already holds are skipped. Whatever ends the
   * consumption (NATS restarted without its JetStream store, the consumer deleted) is repaired:
   * stream and consumer set up again, and consumption resumes from the consumer's ack floor.
   */
  private async run(): Promise<void> {
    for (let attempt = 0; !this.stopping; attempt++) {
      try {
        if (attempt > 0) await this.setUp();
        if (this.index.meta(REBUILT) === undefined) {
          await this.rebuild();
          if (this.stopping) return;
        }
        const consumer = await this.nc.jetstream().consumers.get(ROOM_EVENTS_STREAM, this.durable);
        const messages = await consumer.consume({ max_messages: 1000 });
        this.messages = messages;
        void this.watch(messages);
        this.logger.log({ msg: 'indexing room events', consumer: this.durable, indexed: this.index.count() });
        for await (const m of this.messages) {
          this.pending.push(m);
          if (this.pending.length >= BATCH_MAX) this.flush();
        }
        if (this.stopping) return;
        this.logger.warn({ msg: 'room events consumption ended: resuming', consumer: this.durable });
      } catch (err) {
        if (this.stopping) return;
        this.logger.warn({ msg: 'room events consumption failed: resuming', err: String(err) });
      }
      await new Promise((r) => setTimeout(r, Math.min(5000, 500 * (attempt + 1))));
    }
  }

  /**
   * The consumer gone (deleted, or NATS back without its JetStream store): nats.js would wait for
   * it for ever; end this consumption instead, so that run() sets it up again.
   */
  private async watch(messages: ConsumerMessages): Promise<void> {
    const gone = new Set<string>([
      ConsumerEvents.ConsumerDeleted,
      ConsumerEvents.ConsumerNotFound,
      ConsumerEvents.StreamNotFound,
    ]);
    for await (const status of await messages.status()) {
      if (gone.has(status.type)) {
        this.logger.warn({ msg: 'room events consumer gone', status: status.type });
        messages.stop();
        return;
      }
    }
  }

  /**
   * Every stored message into the index, room by room, through the message service (rooms by
   * page, each room's messages by seq as `_id` pages). Resumable: an interrupted rebuild starts
   * over on the next boot and skips what the index already holds.
   */
  private async rebuild(): Promise<void> {
    const started = Date.now();
    let rooms = 0;
    let messages = 0;
    for (let offset = 0; !this.stopping;) {
      const { rooms: page } = await this.untilAnswered(() =>
        this.rpc.request(ChatSubject.ExportRooms, { offset, limit: REBUILD_ROOMS }),
      );
      for (const room of page) {
        for (let fromSeq = 1; fromSeq <= room.lastSeq && !this.stopping; fromSeq += REBUILD_MESSAGES) {
          const reply = await this.untilAnswered(() =>
            this.rpc.request(ChatSubject.ExportMessages, { roomId: room.id, fromSeq, limit: REBUILD_MESSAGES }),
          );
          const live = reply.messages.filter((m) => m.body && !m.deleted);
          this.index.put(live.map((message) => ({ message, roomKind: room.kind })));
          messages += live.length;
        }
      }
      rooms += page.length;
      if (page.length < REBUILD_ROOMS) break;
      offset += page.length;
    }
    if (this.stopping) return;
    this.index.setMeta(REBUILT, new Date().toISOString());
    this.logger.log({ msg: 'index rebuilt from the store', rooms, messages, seconds: (Date.now() - started) / 1000 });
  }

  /** The message service may not be up yet (or restarting): ask again until it answers. */
  private async untilAnswered<T>(ask: () => Promise<T>): Promise<T> {
    for (let wait = 200; ; wait = Math.min(5000, wait * 2)) {
      try {
        return await ask();
      } catch (err) {
        if (this.stopping) throw err;
        this.logger.warn({ msg: 'rebuild waits for the message service', err: String(err) });
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
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
        // Each event as part of the request that caused it: its id on any line, its trace's span.
        for (const m of batch) withOriginOf(m.subject, m.headers, () => this.apply(m));
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
