/**
 * Last stored seq per room, as this process saw it, so a send needs no read of the messages.
 * Only a hint: a stale value costs one failed insert and a re-read, never a wrong seq.
 * Bounded: the least recently used room is forgotten first.
 */
export class LastSeqCache {
  private readonly seqs = new Map<string, number>();

  constructor(private readonly capacity = 10_000) {}

  get(roomId: string): number | undefined {
    const seq = this.seqs.get(roomId);
    if (seq !== undefined) {
      this.seqs.delete(roomId);
      this.seqs.set(roomId, seq);
    }
    return seq;
  }

  set(roomId: string, seq: number): void {
    this.seqs.delete(roomId);
    this.seqs.set(roomId, seq);
    if (this.seqs.size > this.capacity) {
      const oldest = this.seqs.keys().next().value;
      if (oldest !== undefined) this.seqs.delete(oldest);
    }
  }

  forget(roomId: string): void {
    this.seqs.delete(roomId);
  }

  get size(): number {
    return this.seqs.size;
  }
}
