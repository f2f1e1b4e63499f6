import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { entryBoundedCache } from '../common/entry-bounded-cache';
import { RoomRepository } from './room.repository';

/**
 * A busy room's hint is rewritten at most this often: every instance holds the exact last seqs it
 * uses (RoomStatsService), so the stored hint only shortens the probe of a cold one; each rewrite is
 * a write, and SQLite (FerretDB) has a single writer.
 */
export const RAISE_INTERVAL_MS = 1000;

/**
 * Keeps each room's advisory lastSeq close behind its messages without a write per message on
 * the send path: raises run in the background, one at a time per room and at most one per
 * RAISE_INTERVAL_MS, each carrying the highest seq asked for meanwhile. Readers probe past the hint
 * (RoomStatsService), so a lagging one costs a lookup or two, never a wrong answer.
 */
@Injectable()
export class LastSeqHintService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(LastSeqHintService.name);
  /** Highest seq written (or being written) per room; forgetting one only costs a rewrite. */
  private readonly raised = entryBoundedCache<string, number>(10_000);
  /** When each room's last write began: the next waits for the interval to pass. */
  private readonly lastWrite = entryBoundedCache<string, number>(10_000, { ttl: RAISE_INTERVAL_MS });
  /** Highest seq asked for while the room was being written or waiting for its interval. */
  private readonly pending = new Map<string, number>();
  private readonly writing = new Set<string>();
  private readonly scheduled = new Set<string>();

  constructor(private readonly rooms: RoomRepository) {}

  raise(roomId: string, seq: number): void {
    if ((this.raised.get(roomId) ?? 0) >= seq) return;
    if (this.writing.has(roomId) || this.scheduled.has(roomId)) {
      this.pending.set(roomId, Math.max(seq, this.pending.get(roomId) ?? 0));
      return;
    }
    if (this.lastWrite.has(roomId)) {
      this.pending.set(roomId, seq);
      this.schedule(roomId);
      return;
    }
    void this.write(roomId, seq);
  }

  /** Resolves once no raise is being written, or after `timeoutMs` (raises still waiting are dropped). */
  async settled(timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.writing.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  /** Lets the last raises finish before the database connection closes. */
  beforeApplicationShutdown(): Promise<void> {
    return this.settled();
  }

  private async write(roomId: string, seq: number): Promise<void> {
    this.writing.add(roomId);
    this.lastWrite.set(roomId, Date.now());
    this.raised.set(roomId, seq);
    try {
      await this.rooms.raiseLastSeq(roomId, seq);
    } catch (err) {
      this.raised.delete(roomId);
      this.logger.warn({ msg: 'could not raise the lastSeq hint', roomId, seq, err });
    }
    this.writing.delete(roomId);
    if (this.pending.has(roomId)) this.schedule(roomId);
  }

  /** The pending raise, once the interval since the room's last write has passed. */
  private schedule(roomId: string): void {
    if (this.scheduled.has(roomId)) return;
    this.scheduled.add(roomId);
    const wait = Math.max(0, (this.lastWrite.get(roomId) ?? 0) + RAISE_INTERVAL_MS - Date.now());
    setTimeout(() => {
      this.scheduled.delete(roomId);
      const next = this.pending.get(roomId);
      this.pending.delete(roomId);
      this.lastWrite.delete(roomId);
      if (next !== undefined) this.raise(roomId, next);
    }, wait).unref();
  }
}
