import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { EventSubject } from '@app/contracts';
import { EventBus } from '@app/nats';
import { Subscription } from 'nats';
import { SeqRange } from './history-page';
import { Message } from './message.schema';

/** Messages held per room at most: a catch-up (`room:join`) reads up to 200. */
export const RECENT_PER_ROOM = 200;
/** Bytes held over all rooms at most (bodies and a fixed cost per message). */
const RECENT_MAX_BYTES = 32 * 1024 * 1024;
const MESSAGE_OVERHEAD_BYTES = 400;

interface Held {
  /** Consecutive seqs: docs[i].seq === docs[0].seq + i. */
  docs: readonly Message[];
}

/**
 * The newest messages of busy rooms, so that catch-ups, gap fills and newest pages (one `_id $in`
 * read of up to 200 documents each, the costliest read of the store) are served from memory when
 * many clients ask for the same recent seqs, as after a gateway dies and its clients re-join.
 *
 * Each room holds one run of consecutive seqs, filled by this instance's inserts and by reads.
 * Messages change only by edit and delete: the repository calls `revised` after either, which drops
 * the room here and tells every instance (a RoomStats event with `revised`), before the change is
 * acked or announced, so no request that follows the change can be answered with the copy before
 * it. A read or insert that began before a revision is not held (the generation moved).
 * After a NATS reconnection everything is dropped: revisions may have been missed.
 */
@Injectable()
export class RecentMessages implements OnModuleInit, OnModuleDestroy {
  private readonly held = new LRUCache<string, Held>({
    maxSize: RECENT_MAX_BYTES,
    sizeCalculation: (h) => h.docs.reduce((n, m) => n + MESSAGE_OVERHEAD_BYTES + m.body.length * 2, 1),
  });
  /** Counts revisions (of any room) and reconnections: a fill that saw it move is not held. */
  private changes = 0;
  private subscription?: Subscription;

  constructor(private readonly events: EventBus) {}

  onModuleInit(): void {
    this.subscription = this.events.subscribe(EventSubject.RoomStats, (event) => {
      if (event.revised !== undefined) this.drop(event.roomId);
    });
    this.events.onReconnect(() => {
      this.changes++;
      this.held.clear();
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /**
   * A token to hand back to `keep`: whether anything was revised meanwhile. Revisions are rare, so
   * one counter for all rooms costs little and needs no memory per room.
   */
  generation(): number {
    return this.changes;
  }

  /** The range's messages when all of them are held, else null. */
  range(roomId: string, range: SeqRange): Message[] | null {
    if (range.from > range.to) return [];
    const docs = this.held.get(roomId)?.docs;
    if (!docs || docs.length === 0) return null;
    const first = docs[0].seq;
    if (range.from < first || range.to > first + docs.length - 1) return null;
    return docs.slice(range.from - first, range.to - first + 1);
  }

  /**
   * Messages just stored or read (consecutive seqs, ascending), unless the room was revised since
   * `generation` was taken. They join the held run when they touch or overlap it; otherwise the
   * newer run is kept.
   */
  keep(roomId: string, docs: Message[], generation: number): void {
    if (docs.length === 0 || generation !== this.changes) return;
    const fresh = docs.map((m) => Object.freeze(m));
    const held = this.held.get(roomId)?.docs ?? [];
    this.held.set(roomId, { docs: merged(held, fresh).slice(-RECENT_PER_ROOM) });
  }

  /** A message of the room changed: dropped here and on every instance, before anyone is told of the change. */
  revised(roomId: string, seq: number): void {
    this.drop(roomId);
    this.events.publish(EventSubject.RoomStats, { roomId, revised: seq });
  }

  private drop(roomId: string): void {
    this.changes++;
    this.held.delete(roomId);
  }
}

/** Two runs of consecutive seqs as one when they touch or overlap; else the newer one. */
function merged(held: readonly Message[], fresh: readonly Message[]): readonly Message[] {
  if (held.length === 0) return fresh;
  const [heldFrom, heldTo] = [held[0].seq, held[held.length - 1].seq];
  const [freshFrom, freshTo] = [fresh[0].seq, fresh[fresh.length - 1].seq];
  if (freshFrom > heldTo + 1 || freshTo < heldFrom - 1) return freshTo > heldTo ? fresh : held;
  const from = Math.min(heldFrom, freshFrom);
  const to = Math.max(heldTo, freshTo);
  const out: Message[] = [];
  for (let seq = from; seq <= to; seq++) {
    out.push(seq >= freshFrom && seq <= freshTo ? fresh[seq - freshFrom] : held[seq - heldFrom]);
  }
  return out;
}
