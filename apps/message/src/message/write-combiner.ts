/** A caller's documents waiting to be written, and how to answer it. */
export interface PendingWrite<D, R> {
  docs: D[];
  resolve(result: R): void;
  reject(err: unknown): void;
}

/**
 * Writes one batch of callers' documents as one command. It answers every caller it tried, and
 * returns the callers it did not try (an ordered insert stops at its first refusal): those lead
 * the next command. Throwing answers every caller of the batch with the error.
 */
export type CombinedWrite<D, R> = (batch: PendingWrite<D, R>[]) => Promise<PendingWrite<D, R>[]>;

/**
 * Group commit across callers: the store serves one writer at a time (FerretDB on SQLite), so each
 * command costs a turn of the whole store whatever its size. Calls made in the same turn of the
 * event loop, or while a command is under way, go out together as the next command, each caller's
 * documents kept together and in order, up to `maxDocs` at once (a caller larger than that goes
 * alone). Every room's group commit meets here, so the store sees a few commands a flush instead of
 * one per room.
 */
export class WriteCombiner<D, R> {
  private waiting: PendingWrite<D, R>[] = [];
  private running = false;

  constructor(
    private readonly write: CombinedWrite<D, R>,
    private readonly maxDocs: number,
  ) {}

  submit(docs: D[]): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ docs, resolve, reject });
      if (this.running) return;
      this.running = true;
      setImmediate(() => void this.run());
    });
  }

  private async run(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.take();
      let untried: PendingWrite<D, R>[] = [];
      try {
        untried = await this.write(batch);
      } catch (err) {
        for (const pending of batch) pending.reject(err);
      }
      if (untried.length >= batch.length) {
        // A write must answer someone, or this would loop: a defect, answered as a failure.
        for (const pending of untried) pending.reject(new Error('a combined write answered no caller'));
        untried = [];
      }
      this.waiting = [...untried, ...this.waiting];
    }
    this.running = false;
  }

  private take(): PendingWrite<D, R>[] {
    let docs = this.waiting[0].docs.length;
    let n = 1;
    while (n < this.waiting.length && docs + this.waiting[n].docs.length <= this.maxDocs) {
      docs += this.waiting[n].docs.length;
      n++;
    }
    return this.waiting.splice(0, n);
  }
}

/** Where each caller's documents start in the combined command. */
export function offsetsOf<D, R>(batch: PendingWrite<D, R>[]): number[] {
  const offsets: number[] = [];
  let at = 0;
  for (const pending of batch) {
    offsets.push(at);
    at += pending.docs.length;
  }
  return offsets;
}
