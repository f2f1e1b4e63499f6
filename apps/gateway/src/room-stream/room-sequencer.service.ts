import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { HISTORY_LIMIT_MAX, MessageView } from '@app/contracts';
import { MetricsService } from '../metrics/metrics.service';
import { RoomFanoutService } from './room-fanout.service';
import { RoomHistory } from './room-history';

export const SEQUENCER_GAP_MS = Symbol('SEQUENCER_GAP_MS');

/** How many delivered messages each room keeps, for sockets that join just after they went out. */
const RECENT_MAX = 100;

/** A message from the room's NATS subject, waiting for its turn. */
interface Held {
  message: MessageView;
  receivedAt: number;
}

interface RoomState {
  /** Highest seq delivered; `null` until seeded: everything is held until then. */
  last: number | null;
  pending: Map<number, Held>;
  recent: MessageView[];
  timer?: NodeJS.Timeout;
  filling: boolean;
}

/**
 * Delivers each room's messages once and in seq order on this gateway. Two message-service
 * instances may publish out of order: a seq at or below the last delivered is a duplicate and
 * dropped; one beyond the next is held, and if the gap is still open after a short wait it is
 * filled from history before delivery goes on. Messages leave, in order, through the fan-out.
 */
@Injectable()
export class RoomSequencer implements OnModuleDestroy {
  private readonly logger = new Logger(RoomSequencer.name);
  private readonly rooms = new Map<string, RoomState>();

  constructor(
    @Inject(RoomFanoutService) private readonly fanout: Pick<RoomFanoutService, 'deliver'>,
    private readonly history: RoomHistory,
    @Inject(SEQUENCER_GAP_MS) private readonly gapMs: number,
    private readonly metrics: MetricsService,
  ) {}

  /** Starts tracking a room (its subscription is being opened); events are held until `seed`. */
  open(roomId: string): void {
    if (!this.rooms.has(roomId)) this.rooms.set(roomId, { last: null, pending: new Map(), recent: [], filling: false });
  }

  /** The room's seq as a reply read it, once subscribed; a room already seeded keeps its own. */
  seed(roomId: string, lastSeq: number): void {
    this.open(roomId);
    const state = this.rooms.get(roomId)!;
    if (state.last !== null) return;
    state.last = lastSeq;
    this.drain(roomId, state);
  }

  /**
   * Asks history once, shortly, for messages published before a subscription opened from an
   * older snapshot took effect (a room the user was just added to).
   */
  catchUp(roomId: string): void {
    const state = this.rooms.get(roomId);
    if (!state || state.last === null || state.timer || state.filling) return;
    state.timer = setTimeout(() => void this.fillGap(roomId, state, true), this.gapMs);
  }

  push(roomId: string, message: MessageView): void {
    const state = this.rooms.get(roomId);
    if (!state) return;
    if (state.last !== null && message.seq <= state.last) return;
    // Called as the event arrives: fan-out latency is timed from here.
    state.pending.set(message.seq, { message, receivedAt: performance.now() });
    if (state.last !== null) this.drain(roomId, state);
  }

  /**
   * A stored message changed (edit, delete): the copies held here (waiting for their turn, or
   * kept for late joiners) take the new version. Never delivers anything, nor moves the order.
   */
  revise(roomId: string, seq: number, change: (message: MessageView) => MessageView): void {
    const state = this.rooms.get(roomId);
    if (!state) return;
    const held = state.pending.get(seq);
    if (held) held.message = change(held.message);
    const i = state.recent.findIndex((m) => m.seq === seq);
    if (i >= 0) state.recent[i] = change(state.recent[i]);
  }

  close(roomId: string): void {
    const state = this.rooms.get(roomId);
    if (state?.timer) clearTimeout(state.timer);
    this.rooms.delete(roomId);
  }

  lastDelivered(roomId: string): number | null {
    return this.rooms.get(roomId)?.last ?? null;
  }

  /** Delivered messages with a seq above `seq`, as far as this room remembers. */
  deliveredAfter(roomId: string, seq: number): MessageView[] {
    return (this.rooms.get(roomId)?.recent ?? []).filter((m) => m.seq > seq);
  }

  onModuleDestroy(): void {
    for (const roomId of [...this.rooms.keys()]) this.close(roomId);
  }

  private drain(roomId: string, state: RoomState): void {
    if (state.last === null) return;
    for (const seq of state.pending.keys()) {
      if (seq <= state.last) state.pending.delete(seq);
    }
    let next = state.pending.get(state.last + 1);
    while (next) {
      state.pending.delete(next.message.seq);
      this.deliver(roomId, state, next.message, next.receivedAt);
      next = state.pending.get(state.last + 1);
    }
    if (state.pending.size === 0) {
      if (state.timer) clearTimeout(state.timer);
      state.timer = undefined;
    } else if (!state.timer && !state.filling) {
      state.timer = setTimeout(() => void this.fillGap(roomId, state), this.gapMs);
    }
  }

  private deliver(roomId: string, state: RoomState, message: MessageView, receivedAt?: number): void {
    state.last = message.seq;
    state.recent.push(message);
    if (state.recent.length > RECENT_MAX) state.recent.shift();
    try {
      this.fanout.deliver(roomId, message, receivedAt);
    } catch (err) {
      this.logger.error({ msg: 'delivery failed', roomId, seq: message.seq, err });
    }
  }

  private async fillGap(roomId: string, state: RoomState, tail = false): Promise<void> {
    state.timer = undefined;
    state.filling = true;
    let once = tail;
    let filled = false;
    try {
      while (this.rooms.get(roomId) === state && state.last !== null && (state.pending.size > 0 || once)) {
        once = false;
        const before = state.last;
        const highest = state.pending.size > 0 ? Math.max(...state.pending.keys()) : before + HISTORY_LIMIT_MAX + 1;
        const limit = Math.max(1, Math.min(HISTORY_LIMIT_MAX, highest - before - 1));
        const reply = await this.history.fetchAfter(roomId, before, limit);
        if (this.rooms.get(roomId) !== state || !reply) break;
        for (const m of [...reply.messages].sort((a, b) => a.seq - b.seq)) {
          if (m.seq !== state.last + 1) continue;
          // The event of a held one did arrive (history's page reached it): its wait is timed too.
          this.deliver(roomId, state, m, state.pending.get(m.seq)?.receivedAt);
          filled = true;
        }
        this.drain(roomId, state);
        if (state.last === before) break;
      }
    } catch (err) {
      this.logger.warn({ msg: 'gap fill failed', roomId, err });
    } finally {
      state.filling = false;
    }
    if (filled) this.metrics.seqGapFills.inc();
    if (this.rooms.get(roomId) !== state || state.pending.size === 0 || state.last === null) return;
    // History could not close the gap: late beats never, so go on from the oldest held message.
    const resume = Math.min(...state.pending.keys());
    this.logger.warn({ msg: 'skipping a sequence gap', roomId, from: state.last + 1, to: resume - 1 });
    this.metrics.seqSkips.inc(resume - 1 - state.last);
    state.last = resume - 1;
    this.drain(roomId, state);
  }
}
