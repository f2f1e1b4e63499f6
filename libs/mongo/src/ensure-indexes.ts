import { Logger } from '@nestjs/common';
import { Model, mongo } from 'mongoose';
import { isTtlUnsupported } from './mongo-errors';

export interface IndexOutcome {
  /** False when the server refused TTL indexes: expired documents must then be swept by hand. */
  ttl: boolean;
}

interface DeclaredIndex {
  keys: mongo.IndexSpecification;
  options: mongo.CreateIndexesOptions;
}

/** Pause before the one retry of a failed index creation. */
const RETRY_AFTER_MS = 500;

/**
 * Creates the indexes a schema declares, at boot (autoIndex is off so that a failure is never
 * swallowed by a background event), then checks that every declared unique index really is
 * unique. A TTL index the server cannot build (FerretDB v1) falls back to a plain index on the
 * same key. Any other failure is retried once (another instance booting on the same database may
 * be creating the same collection), then thrown: it stops the process.
 */
export async function ensureIndexes<T>(model: Model<T>, logger: Logger): Promise<IndexOutcome> {
  const declared: DeclaredIndex[] = model.schema.indexes().map(([fields, options]) => ({
    keys: fields as mongo.IndexSpecification,
    options: options as mongo.CreateIndexesOptions,
  }));
  let ttl: boolean;
  try {
    ttl = await createDeclared(model, declared, logger);
  } catch (err) {
    logger.warn({ msg: 'index creation failed, retrying once', collection: model.collection.collectionName, err });
    await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS));
    ttl = await createDeclared(model, declared, logger);
  }
  await assertUniqueIndexes(model, declared);
  return { ttl };
}

async function createDeclared<T>(model: Model<T>, declared: DeclaredIndex[], logger: Logger): Promise<boolean> {
  let ttl = true;
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
  return ttl;
}

/**
 * FerretDB answers "ok" to a unique index whose name an older, non-unique index already holds,
 * and keeps the old one: check that every declared unique index really is unique.
 */
async function assertUniqueIndexes<T>(model: Model<T>, declared: DeclaredIndex[]): Promise<void> {
  const unique = declared.filter(({ options }) => options.unique);
  // No unique index declared: nothing to list (the collection may not even exist yet).
  if (unique.length === 0) return;
  const existing = await model.collection.indexes();
  for (const { keys } of unique) {
    const key = JSON.stringify(keys);
    if (!existing.some((ix) => JSON.stringify(ix.key) === key && ix.unique === true)) {
      throw new Error(
        `collection ${model.collection.collectionName}: index ${key} must be unique but is not; drop the old index`,
      );
    }
  }
}
