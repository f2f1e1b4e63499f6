import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { RoomRepository } from './room.repository';

/**
 * A busy room's hint is rewritten at most this often: every instance holds the exact last seqs it
 * uses (RoomStatsService), so the stored hint only shortens the probe of a cold one; each rewrite is
 * a write, and SQLite (FerretDB) has a single writer.
 */
export const RAISE_INTERVAL_MS = 1000;

/**
 * Keeps each room's advisory lastSeq close behind its messages without a write per message on
 * the send path: raises run in the background, one at a time per room and paced, each carrying
 * the highest seq asked for meanwhile. Readers probe past the hint (RoomStatsService), so a
 * lagging one costs a lookup or two, never a wrong answer.
 */
@Injectable()
export class LastSeqHintService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(LastSeqHintService.name);
  /** Highest seq written (or being written) per room; forgetting one only costs a rewrite. */
  private readonly raised = new LRUCache<string, number>({ max: 10_000 });
  /** Highest seq asked for while a raise of the room was under way. */
  private readonly pending = new Map<string, number>();
  private readonly busy = new Set<string>();

  constructor(private readonly rooms: RoomRepository) {}

  raise(roomId: string, seq: number): void {
    if ((this.raised.get(roomId) ?? 0) >= seq) return;
    if (this.busy.has(roomId)) {
      this.pending.set(roomId, Math.max(seq, this.pending.get(roomId) ?? 0));
      return;
    }
    void this.write(roomId, seq);
  }

  /** Resolves once no raise is under way, or after `timeoutMs`. */
  async settled(timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.busy.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  /** Lets the last raises finish before the database connection closes. */
  beforeApplicationShutdown(): Promise<void> {
    return this.settled();
  }

  private async write(roomId: string, seq: number): Promise<void> {
    this.busy.add(roomId);
    this.raised.set(roomId, seq);
    try {
      await this.rooms.raiseLastSeq(roomId, seq);
    } catch (err) {
      this.raised.delete(roomId);
      this.logger.warn({ msg: 'could not raise the lastSeq hint', roomId, seq, err });
    }
    if (!this.pending.has(roomId)) {
      this.busy.delete(roomId);
      return;
    }
    setTimeout(() => {
      const next = this.pending.get(roomId) ?? 0;
      this.pending.delete(roomId);
      this.busy.delete(roomId);
      this.raise(roomId, next);
    }, RAISE_INTERVAL_MS).unref();
  }
}
