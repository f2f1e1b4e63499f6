import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { RoomRepository } from './room.repository';

/** Rooms remembered; beyond this the oldest are forgotten (a forgotten room is just raised again). */
const CAPACITY = 10_000;

/**
 * Keeps each room's advisory lastSeq close behind its messages without a write per message on
 * the send path: raises run in the background, one at a time per room, each carrying the
 * highest seq asked for meanwhile. Views probe past the hint, so a lagging one costs a lookup
 * or two, never a wrong answer.
 */
@Injectable()
export class LastSeqHintService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(LastSeqHintService.name);
  /** Highest seq written (or being written) per room. */
  private readonly raised = new Map<string, number>();
  /** Highest seq asked for while a raise of the room was in flight. */
  private readonly pending = new Map<string, number>();
  private readonly inFlight = new Set<string>();

  constructor(private readonly rooms: RoomRepository) {}

  raise(roomId: string, seq: number): void {
    if ((this.raised.get(roomId) ?? 0) >= seq) return;
    if (this.inFlight.has(roomId)) {
      this.pending.set(roomId, Math.max(seq, this.pending.get(roomId) ?? 0));
      return;
    }
    void this.write(roomId, seq);
  }

  /** The best known lower bound of the room's last seq: the stored hint or what this process raised. */
  best(roomId: string, stored: number): number {
    return Math.max(stored, this.raised.get(roomId) ?? 0);
  }

  /** Resolves once no raise is in flight, or after `timeoutMs`. */
  async settled(timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  /** Lets the last raises finish before the database connection closes. */
  beforeApplicationShutdown(): Promise<void> {
    return this.settled();
  }

  private async write(roomId: string, seq: number): Promise<void> {
    this.inFlight.add(roomId);
    this.remember(roomId, seq);
    try {
      await this.rooms.raiseLastSeq(roomId, seq);
    } catch (err) {
      this.raised.delete(roomId);
      this.logger.warn({ msg: 'could not raise the lastSeq hint', roomId, seq, err });
    } finally {
      this.inFlight.delete(roomId);
      const next = this.pending.get(roomId);
      this.pending.delete(roomId);
      if (next !== undefined) this.raise(roomId, next);
    }
  }

  private remember(roomId: string, seq: number): void {
    this.raised.delete(roomId);
    this.raised.set(roomId, seq);
    if (this.raised.size > CAPACITY) {
      const oldest = this.raised.keys().next().value;
      if (oldest !== undefined) this.raised.delete(oldest);
    }
  }
}
