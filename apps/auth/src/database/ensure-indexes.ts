import { Logger } from '@nestjs/common';
import { Model, mongo } from 'mongoose';
import { isTtlUnsupported } from '@app/mongo';

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
  const declared = model.schema.indexes().map(([fields, options]) => ({
    keys: fields as mongo.IndexSpecification,
    options: options as mongo.CreateIndexesOptions,
  }));
  for (const { keys, options } of declared) {
    try {
      await model.collection.createIndex(keys, options);
    } catch (err) {
      if (options.expireAfterSeconds === undefined || !isTtlUnsupported(err)) throw err;
      const { expireAfterSeconds: _, ...plain } = options;
      await model.collection.createIndex(keys, plain);
      logger.warn({
        msg: 'TTL indexes are not supported by this database; expired documents are deleted through expiry buckets instead',
        collection: model.collection.collectionName,
      });
      ttl = false;
    }
  }
  await assertUniqueIndexes(model, declared);
  return { ttl };
}

/**
 * FerretDB answers "ok" to a unique index whose name an older, non-unique index already holds,
 * and keeps the old one: check that every declared unique index really is unique.
 */
async function assertUniqueIndexes<T>(
  model: Model<T>,
  declared: { keys: mongo.IndexSpecification; options: mongo.CreateIndexesOptions }[],
): Promise<void> {
  const existing = await model.collection.indexes();
  for (const { keys, options } of declared) {
    if (!options.unique) continue;
    const key = JSON.stringify(keys);
    if (!existing.some((ix) => JSON.stringify(ix.key) === key && ix.unique === true)) {
      throw new Error(
        `collection ${model.collection.collectionName}: index ${key} must be unique but is not; drop the old index`,
      );
    }
  }
}
