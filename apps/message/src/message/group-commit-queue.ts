/** One queued item and the promise of its result; settling twice is a no-op. */
export class Ticket<T, R> {
  readonly promise: Promise<R>;
  private settle?: { resolve: (result: R) => void; reject: (err: unknown) => void };

  constructor(readonly item: T) {
    this.promise = new Promise<R>((resolve, reject) => (this.settle = { resolve, reject }));
  }

  get settled(): boolean {
    return this.settle === undefined;
  }

  resolve(result: R): void {
    this.settle?.resolve(result);
    this.settle = undefined;
  }

  reject(err: unknown): void {
    this.settle?.reject(err);
    this.settle = undefined;
  }
}

export interface GroupCommitLimits {
  /** Items handed to one commit at most. */
  maxBatch: number;
  /** Items waiting per key at most (the batch being committed not counted). */
  maxQueuedPerKey: number;
  /** Items waiting over all keys at most. */
  maxQueued: number;
}

/** Commits a batch. It settles every ticket, now or later; a ticket it leaves open when it throws is rejected. */
export type Commit<T, R> = (key: string, batch: Ticket<T, R>[]) => Promise<void>;

/**
 * Group commit: per key, one commit at a time; whatever arrives meanwhile waits and goes into the
 * next commit, in arrival order, up to `maxBatch` at once. The waiting lines are bounded: past
 * them `submit` refuses (the caller answers "too busy") rather than let memory grow.
 */
export class GroupCommitQueue<T, R> {
  private readonly waiting = new Map<string, Ticket<T, R>[]>();
  private readonly committing = new Set<string>();
  private queued = 0;

  constructor(
    private readonly limits: GroupCommitLimits,
    private readonly commit: Commit<T, R>,
  ) {}

  /** The item's result, or null when the waiting lines are full. */
  submit(key: string, item: T): Promise<R> | null {
    const line = this.waiting.get(key) ?? [];
    if (line.length >= this.limits.maxQueuedPerKey || this.queued >= this.limits.maxQueued) return null;
    const ticket = new Ticket<T, R>(item);
    line.push(ticket);
    this.waiting.set(key, line);
    this.queued++;
    if (!this.committing.has(key)) void this.drain(key);
    return ticket.promise;
  }

  /** Items waiting (not yet handed to a commit), over all keys. */
  get size(): number {
    return this.queued;
  }

  private async drain(key: string): Promise<void> {
    this.committing.add(key);
    try {
      for (let batch = this.take(key); batch.length > 0; batch = this.take(key)) {
        try {
          await this.commit(key, batch);
        } catch (err) {
          for (const ticket of batch) ticket.reject(err);
        }
      }
    } finally {
      this.committing.delete(key);
    }
  }

  private take(key: string): Ticket<T, R>[] {
    const line = this.waiting.get(key);
    if (!line) return [];
    const batch = line.splice(0, this.limits.maxBatch);
    if (line.length === 0) this.waiting.delete(key);
    this.queued -= batch.length;
    return batch;
  }
}
