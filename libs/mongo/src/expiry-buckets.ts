import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { mongo } from 'mongoose';

/** A bucket (the ids of `target` documents that expire within one period, by shard) or a sweep cursor. */
export interface ExpiryBucket {
  _id: string;
  ids?: string[];
  /** The cursor's last period swept. */
  swept?: number;
}

export interface ExpiryBucketsOptions {
  /** The period one bucket covers. */
  bucketMs?: number;
  /** Buckets per period: bounds each bucket document's size (and so the cost of each add). */
  shards?: number;
  /** Periods swept per run at most: the cost of a run is bounded, the rest waits for the next. */
  maxPeriodsPerRun?: number;
}

const DEFAULTS: Required<ExpiryBucketsOptions> = { bucketMs: 60_000, shards: 16, maxPeriodsPerRun: 60 };

/** How often due buckets are swept. */
export const EXPIRY_SWEEP_INTERVAL_MS = 60_000;

/**
 * Expiry where the store has no TTL index (FerretDB v1), without ever scanning the expiring
 * collection: each document's `_id` is added to the bucket of its expiry time (a document keyed
 * by `<target>:<period>:<shard>`, an atomic `$addToSet`), and a sweep reads the buckets of the
 * periods that are over, one `_id` lookup each, and deletes what they name (by `_id`, and only if
 * it has really expired). A run sweeps at most `maxPeriodsPerRun` periods; where the previous run
 * stopped is kept in a cursor document. The bucket documents live in their own collection. A
 * document whose expiry moves later must be scheduled again (its old bucket then spares it).
 */
export class ExpiryBuckets {
  private readonly options: Required<ExpiryBucketsOptions>;

  constructor(
    private readonly buckets: mongo.Collection<ExpiryBucket>,
    private readonly target: {
      name: string;
      collection: mongo.Collection;
      field: string;
      /** Called with each deleted document (e.g. to delete what it owns); the delete then reads it back. */
      onDeleted?: (doc: mongo.Document) => Promise<void>;
    },
    options: ExpiryBucketsOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Remembers that the target document `id` expires at `expiresAt`. */
  async schedule(id: string, expiresAt: Date): Promise<void> {
    await this.buckets.updateOne(
      { _id: expiryBucketId(this.target.name, id, expiresAt, this.options) },
      { $addToSet: { ids: id } },
      { upsert: true },
    );
  }

  /** Deletes what expired in the periods that are over; returns how many target documents went. */
  async sweep(now = new Date()): Promise<number> {
    const cursorId = `${this.target.name}:cursor`;
    const lastOver = Math.floor(now.getTime() / this.options.bucketMs) - 1;
    const cursor = await this.buckets.findOne({ _id: cursorId });
    // A fresh store has nothing in past periods: start at the current one.
    let period = cursor?.swept ?? lastOver;
    let deleted = 0;
    let budget = this.options.maxPeriodsPerRun;
    while (period < lastOver && budget-- > 0) {
      period++;
      for (let shard = 0; shard < this.options.shards; shard++) deleted += await this.sweepBucket(period, shard, now);
      await this.buckets.updateOne({ _id: cursorId }, { $max: { swept: period } }, { upsert: true });
    }
    if (!cursor) await this.buckets.updateOne({ _id: cursorId }, { $max: { swept: period } }, { upsert: true });
    return deleted;
  }

  /** Sweeps every `intervalMs` until the returned function is called. */
  start(logger: Logger, intervalMs = EXPIRY_SWEEP_INTERVAL_MS): () => void {
    let running = false;
    const run = async (): Promise<void> => {
      if (running) return;
      running = true;
      try {
        const deleted = await this.sweep();
        if (deleted > 0) logger.debug({ msg: 'expired documents deleted', collection: this.target.name, deleted });
      } catch (err) {
        logger.warn({ msg: 'expiry sweep failed', collection: this.target.name, err });
      } finally {
        running = false;
      }
    };
    const timer = setInterval(() => void run(), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async sweepBucket(period: number, shard: number, now: Date): Promise<number> {
    const id = this.bucketId(period, shard);
    const bucket = await this.buckets.findOne({ _id: id });
    if (!bucket) return 0;
    const ids = bucket.ids ?? [];
    let deleted = 0;
    for (let i = 0; i < ids.length; i += 32) {
      const results = await Promise.all(ids.slice(i, i + 32).map((targetId) => this.deleteIfExpired(targetId, now)));
      deleted += results.reduce((sum, n) => sum + n, 0);
    }
    await this.buckets.deleteOne({ _id: id });
    return deleted;
  }

  private async deleteIfExpired(targetId: string, now: Date): Promise<number> {
    const filter = { _id: targetId, [this.target.field]: { $lte: now } } as never;
    const { onDeleted } = this.target;
    if (!onDeleted) return (await this.target.collection.deleteOne(filter)).deletedCount;
    const doc = await this.target.collection.findOneAndDelete(filter);
    if (!doc) return 0;
    await onDeleted(doc);
    return 1;
  }

  private bucketId(period: number, shard: number): string {
    return `${this.target.name}:${period}:${shard}`;
  }
}

/** The `_id` of the bucket that holds target document `id` of collection `target`, expiring at `expiresAt`. */
export function expiryBucketId(
  target: string,
  id: string,
  expiresAt: Date,
  options: Pick<ExpiryBucketsOptions, 'bucketMs' | 'shards'> = {},
): string {
  const { bucketMs, shards } = { ...DEFAULTS, ...options };
  const period = Math.floor(expiresAt.getTime() / bucketMs);
  const shard = createHash('sha1').update(id).digest().readUInt32BE(0) % shards;
  return `${target}:${period}:${shard}`;
}
