import { Logger } from '@nestjs/common';
import { Model, QueryFilter } from 'mongoose';

/** How often expired documents are deleted where the database has no TTL index. */
export const SWEEP_INTERVAL_MS = 60_000;

/**
 * The fallback for a missing TTL index: deletes documents whose `field` lies in the past, every
 * `intervalMs`. Readers check expiry themselves, so a late sweep only costs disk. Returns a stop function.
 */
export function startExpirySweep<T>(
  model: Model<T>,
  field: string,
  logger: Logger,
  intervalMs = SWEEP_INTERVAL_MS,
): () => void {
  let running = false;
  const sweep = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      await model.deleteMany({ [field]: { $lt: new Date() } } as QueryFilter<T>);
    } catch (err) {
      logger.warn({ msg: 'expiry sweep failed', collection: model.collection.collectionName, err });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
