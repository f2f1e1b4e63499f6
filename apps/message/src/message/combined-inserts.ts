import { CombinedCommand, PendingCall, isDuplicateKey, offsetsOf } from '@app/mongo';
import { reportedRefusal } from './batch-outcome';

/**
 * The refusal met by one caller's part of a combined ordered insert, at the position the driver
 * reported within that part: what the caller's own ordered insert would have thrown.
 */
export class RefusedAt extends Error {
  readonly code = 11000;
  readonly writeErrors: { index: number; code: number }[];

  constructor(index: number, cause: unknown) {
    super(`E11000 duplicate key at position ${index} of this insert`, { cause });
    this.writeErrors = [{ index, code: 11000 }];
  }
}

/**
 * A combined ordered insert failed at another caller's document after this caller's: this part was
 * tried before it, so it is stored if the driver's report is right. The report is not taken on
 * trust: the caller looks its documents up, as after a refusal it cannot place.
 */
export class StoredIfReportRight extends Error {
  readonly code = 11000;

  constructor(cause: unknown) {
    super('E11000 duplicate key in a combined insert, after this part', { cause });
  }
}

/**
 * One ordered insertMany for a batch of callers. Each caller's documents are together and in
 * order, so its part behaves as its own ordered insert would: it stops at its first refusal, and a
 * document is stored only if those before it are. On a duplicate key at position k: the caller
 * holding k gets the refusal at its own position; callers before it are told to look theirs up;
 * callers after it were not tried and go into the next insert. Any other failure leaves every
 * part unknown, and every caller gets the error (each looks its documents up).
 */
export function orderedInsert<D>(insert: (docs: D[]) => Promise<void>): CombinedCommand<D, void> {
  return async (batch) => {
    const docs = batch.flatMap((p) => p.docs);
    try {
      await insert(docs);
    } catch (err) {
      const refused = isDuplicateKey(err) ? reportedRefusal(err, docs.length) : undefined;
      if (refused === undefined) throw err;
      const offsets = offsetsOf(batch);
      let at = 0;
      while (at + 1 < batch.length && offsets[at + 1] <= refused) at++;
      for (const before of batch.slice(0, at)) before.reject(new StoredIfReportRight(err));
      batch[at].reject(new RefusedAt(refused - offsets[at], err));
      return batch.slice(at + 1);
    }
    for (const pending of batch) pending.resolve();
    return [];
  };
}

/**
 * One unordered insertMany for a batch of callers; each caller learns which of its documents were
 * refused as duplicates (by its own positions). `refusedOf` reads the refused positions of the
 * whole command from its error, or null when the failure is not (only) duplicates: then every
 * caller gets the error.
 */
export function unorderedInsert<D>(
  insert: (docs: D[]) => Promise<void>,
  refusedOf: (err: unknown, size: number) => Set<number> | null,
): CombinedCommand<D, Set<number>> {
  return async (batch) => {
    const docs = batch.flatMap((p) => p.docs);
    let refused = new Set<number>();
    try {
      await insert(docs);
    } catch (err) {
      const positions = refusedOf(err, docs.length);
      if (!positions) throw err;
      refused = positions;
    }
    const offsets = offsetsOf(batch);
    batch.forEach((pending: PendingCall<D, Set<number>>, j) => {
      const from = offsets[j];
      const mine = [...refused].filter((i) => i >= from && i < from + pending.docs.length).map((i) => i - from);
      pending.resolve(new Set(mine));
    });
    return [];
  };
}
