/** A caller's items (documents to write, ids to read) waiting for a command, and how to answer it. */
export interface PendingCall<D, R> {
  docs: D[];
  resolve(result: R): void;
  reject(err: unknown): void;
}

/**
 * Runs one batch of callers' items as one command. It answers every caller it tried, and returns
 * the callers it did not try (an ordered insert stops at its first refusal): those lead the next
 * command. Throwing answers every caller of the batch with the error.
 */
export type CombinedCommand<D, R> = (batch: PendingCall<D, R>[]) => Promise<PendingCall<D, R>[]>;

/**
 * Group commit across callers: each command costs a round trip and a turn of the store (FerretDB
 * on SQLite serves one writer at a time) whatever its size. Calls made in the same turn of the
 * event loop, or while a command is under way, go out together as the next command, each caller's
 * items kept together and in order, up to `maxItems` at once (a caller larger than that goes
 * alone). Each command starts after every call it carries was made, so a read sees every write
 * that completed before it was asked for.
 */
export class CommandCombiner<D, R> {
  private waiting: PendingCall<D, R>[] = [];
  private running = false;

  constructor(
    private readonly write: CombinedCommand<D, R>,
    private readonly maxItems: number,
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
      let untried: PendingCall<D, R>[] = [];
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

  private take(): PendingCall<D, R>[] {
    let items = this.waiting[0].docs.length;
    let n = 1;
    while (n < this.waiting.length && items + this.waiting[n].docs.length <= this.maxItems) {
      items += this.waiting[n].docs.length;
      n++;
    }
    return this.waiting.splice(0, n);
  }
}

/** Where each caller's documents start in the combined command. */
export function offsetsOf<D, R>(batch: PendingCall<D, R>[]): number[] {
  const offsets: number[] = [];
  let at = 0;
  for (const pending of batch) {
    offsets.push(at);
    at += pending.docs.length;
  }
  return offsets;
}
