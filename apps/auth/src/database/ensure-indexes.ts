import { Logger } from '@nestjs/common';
import { Model, mongo } from 'mongoose';
import { isTtlUnsupported } from './mongo-errors';

export interface IndexOutcome {
  /** False when the server refused TTL indexes: expired documents must then be swept by hand. */
  ttl: boolean;
}

/**
 * Creates the indexes a schema declares, at boot (autoIndex is off so that a failure is never
 * swallowed by a background event). A TTL index the server cannot build (FerretDB v1) falls back
 * to a plain index on the same key; every other failure is thrown and stops the process.
 */
export async function ensureIndexes<T>(model: Model<T>, logger: Logger): Promise<IndexOutcome> {
  let ttl = true;
  for (const [fields, schemaOptions] of model.schema.indexes()) {
    const keys = fields as mongo.IndexSpecification;
    const options = schemaOptions as mongo.CreateIndexesOptions;
    try {
      await model.collection.createIndex(keys, options);
    } catch (err) {
      if (options.expireAfterSeconds === undefined || !isTtlUnsupported(err)) throw err;
      const { expireAfterSeconds: _, ...plain } = options;
      await model.collection.createIndex(keys, plain);
      logger.warn({
        msg: 'TTL indexes are not supported by this database; expired documents are swept periodically instead',
        collection: model.collection.collectionName,
      });
      ttl = false;
    }
  }
  return { ttl };
}
