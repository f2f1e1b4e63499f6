import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { entryBoundedCache } from '../common/entry-bounded-cache';
import { EventSubject, RoomStatsEvent } from '@app/contracts';
import { EventBus } from '@app/nats';
import { Subscription } from 'nats';
import { MessageRepository } from '../message/message.repository';
import { RoomRepository } from './room.repository';
import { Room } from './room.schema';

export interface RoomStats {
  memberCount: number;
  lastSeq: number;
}

interface Held extends RoomStats {
  /** Version of memberCount (the room's statsVersion when it was read or announced). */
  version: number;
}

/** A room whose counts no event refreshed for this long is read again: a bound on any missed event. */
const REREAD_AFTER_MS = 60_000;

/**
 * Each room's member count and last seq, held in memory and kept current by the events every
 * instance publishes when it changes them (EventSubject.RoomStats): a list of 50 room views needs
 * no read. A room not held is read once (its document, and the last seq probed past its hint).
 * After a NATS reconnection everything is read again, events having been missed meanwhile.
 *
 * Views take these as they are; `exactLastSeq` (catch-up, history, the writer) probes past the held
 * value, which is always a seq that exists: one `_id` lookup when it is current.
 */
@Injectable()
export class RoomStatsService implements OnModuleInit, OnModuleDestroy {
  private readonly held = entryBoundedCache<string, Held>(100_000, { ttl: REREAD_AFTER_MS });
  /** Reads under way, shared by concurrent callers, with the events heard meanwhile. */
  private readonly reading = new Map<string, { stats: Promise<Held>; heard: RoomStatsEvent[] }>();
  private subscription?: Subscription;

  constructor(
    private readonly events: EventBus,
    private readonly rooms: RoomRepository,
    private readonly messages: MessageRepository,
  ) {}

  onModuleInit(): void {
    this.subscription = this.events.subscribe(EventSubject.RoomStats, (event) => this.apply(event));
    this.events.onReconnect(() => this.held.clear());
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /**
   * A batch stored here: held at once and told to every instance before its sends are acked, so a
   * room list read anywhere after an ack shows it (within NATS's delivery, microseconds).
   */
  stored(roomId: string, lastSeq: number): void {
    this.announce({ roomId, lastSeq });
  }

  async of(room: Room): Promise<RoomStats> {
    return this.held.get(room._id) ?? (await this.readOnce(room));
  }

  /** The room's last seq, exactly: probed upward from the best value known. */
  async exactLastSeq(room: Room): Promise<number> {
    const known = Math.max(this.held.get(room._id)?.lastSeq ?? 0, room.lastSeq);
    const lastSeq = await this.messages.lastSeq(room._id, known);
    this.announce({ roomId: room._id, lastSeq }, false);
    return lastSeq;
  }

  /** The last seq held for the room (a seq that exists), or undefined. */
  heldLastSeq(roomId: string): number | undefined {
    return this.held.get(roomId)?.lastSeq;
  }

  /** Tells every instance (this one included) of new counts; `publish: false` keeps it local. */
  announce(event: RoomStatsEvent, publish = true): void {
    this.apply(event);
    if (publish) this.events.publish(EventSubject.RoomStats, event);
  }

  private apply(event: RoomStatsEvent): void {
    const held = this.held.get(event.roomId, { updateAgeOnGet: false });
    if (held) applyTo(held, event);
    else this.reading.get(event.roomId)?.heard.push(event); // else: read when first needed
  }

  private readOnce(room: Room): Promise<Held> {
    const under = this.reading.get(room._id);
    if (under) return under.stats;
    const heard: RoomStatsEvent[] = [];
    const stats = this.read(room).then(
      (read) => {
        for (const event of heard) applyTo(read, event);
        this.held.set(room._id, read);
        this.reading.delete(room._id);
        return read;
      },
      (err: unknown) => {
        this.reading.delete(room._id);
        throw err;
      },
    );
    this.reading.set(room._id, { stats, heard });
    return stats;
  }

  private async read(cached: Room): Promise<Held> {
    const fresh = (await this.rooms.findById(cached._id)) ?? cached;
    const lastSeq = await this.messages.lastSeq(cached._id, Math.max(fresh.lastSeq, cached.lastSeq));
    return { memberCount: fresh.memberCount, lastSeq, version: fresh.statsVersion ?? 0 };
  }
}

function applyTo(held: Held, event: RoomStatsEvent): void {
  if (event.lastSeq !== undefined && event.lastSeq > held.lastSeq) held.lastSeq = event.lastSeq;
  if (event.memberCount !== undefined && (event.version ?? 0) > held.version) {
    held.memberCount = event.memberCount;
    held.version = event.version ?? 0;
  }
}
