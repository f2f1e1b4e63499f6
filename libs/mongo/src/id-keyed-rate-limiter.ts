import { IRateLimiterMongoOptions, RateLimiterMongo } from 'rate-limiter-flexible';
import { mongo } from 'mongoose';
import { isDuplicateKey } from './mongo-errors';
import { ExpiryBuckets } from './expiry-buckets';

/** A counter of rate-limiter-flexible, keyed by `_id`. */
export interface RateLimitDoc {
  _id: string;
  points: number;
  expire: Date | null;
}

export interface IdKeyedRateLimiterOptions extends Omit<IRateLimiterMongoOptions, 'storeClient'> {
  collection: mongo.Collection<RateLimitDoc>;
  /** Where the store has no TTL index: expiry by buckets (see ExpiryBuckets). */
  expiry?: ExpiryBuckets;
}

/** Tries before a window change raced by other instances is given up (each try one more round trip). */
const MAX_TRIES = 5;

/**
 * rate-limiter-flexible's MongoDB limiter with its counters keyed by `_id` instead of a `key`
 * field: FerretDB v1 serves only `_id` equality from an index, and scans for anything else, so
 * the stock store's `findOneAndUpdate({key})` would read the whole collection on every consume.
 * The algorithm is the library's (fixed windows of `duration` from the first point, atomic `$inc`);
 * only the three store calls are replaced. Expired counters go by a TTL index on `expire` where
 * the store has one, else through `expiry`.
 */
export class IdKeyedRateLimiter extends RateLimiterMongo {
  private readonly docs: mongo.Collection<RateLimitDoc>;
  private readonly expiry?: ExpiryBuckets;

  constructor({ collection, expiry, ...opts }: IdKeyedRateLimiterOptions) {
    super({ ...opts, storeClient: collection, disableIndexesCreation: true, tableName: collection.collectionName });
    this.docs = collection;
    this.expiry = expiry;
  }

  /** The library calls this from its constructor; the collection is handed in instead. */
  _initCollection(): void {}

  async _upsert(key: string, points: number, msDuration: number, forceExpire = false): Promise<RateLimitDoc> {
    for (let tries = 1; ; tries++) {
      const now = new Date();
      const expire = msDuration > 0 ? new Date(now.getTime() + msDuration) : null;
      if (forceExpire) {
        const set = await this.docs.findOneAndUpdate(
          { _id: key },
          { $set: { points, expire } },
          { upsert: true, returnDocument: 'after' },
        );
        if (expire) await this.expiry?.schedule(key, expire);
        return set ?? { _id: key, points, expire };
      }
      const live = await this.docs.findOneAndUpdate(
        { _id: key, $or: [{ expire: { $gt: now } }, { expire: null }] },
        { $inc: { points } },
        { returnDocument: 'after' },
      );
      if (live) return live;
      // No window, or an expired one: start a new window; racing instances settle it by `_id`.
      try {
        const fresh: RateLimitDoc = { _id: key, points, expire };
        await this.docs.insertOne(fresh);
        if (expire) await this.expiry?.schedule(key, expire);
        return fresh;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const renewed = await this.docs.findOneAndUpdate(
        { _id: key, expire: { $lte: now } },
        { $set: { points, expire } },
        { returnDocument: 'after' },
      );
      if (renewed) {
        if (expire) await this.expiry?.schedule(key, expire);
        return renewed;
      }
      if (tries >= MAX_TRIES) throw new Error(`rate limit counter ${key}: window kept changing`);
    }
  }

  async _get(key: string): Promise<RateLimitDoc | null> {
    const doc = await this.docs.findOne({ _id: key });
    return doc && (doc.expire === null || doc.expire.getTime() > Date.now()) ? doc : null;
  }

  async _delete(key: string): Promise<boolean> {
    return (await this.docs.deleteOne({ _id: key })).deletedCount > 0;
  }
}
