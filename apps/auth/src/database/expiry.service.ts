import { Injectable, Logger } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Model } from 'mongoose';
import { ExpiryBucket, ExpiryBuckets, ensureIndexes } from '@app/mongo';

/** The collection of expiry buckets, for stores without TTL indexes. */
export const EXPIRY_COLLECTION = 'expiry_buckets';

/** Expiry of a collection's documents: its TTL index where the store has them, else expiry buckets. */
@Injectable()
export class ExpiryService {
  private readonly logger = new Logger(ExpiryService.name);

  constructor(@InjectConnection() private readonly connection: Connection) {}

  /**
   * Creates the model's indexes; returns null when its TTL index expires the documents, else the
   * buckets to schedule each document in (and to sweep) by `field`.
   */
  async forModel<T>(model: Model<T>, field: string): Promise<ExpiryBuckets | null> {
    const { ttl } = await ensureIndexes(model, this.logger);
    if (ttl) return null;
    return new ExpiryBuckets(this.connection.collection<ExpiryBucket>(EXPIRY_COLLECTION), {
      name: model.collection.collectionName,
      collection: model.collection,
      field,
    });
  }
}
