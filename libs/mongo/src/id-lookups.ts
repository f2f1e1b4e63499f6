import { CommandCombiner } from './command-combiner';

/** Ids one `$in` lookup carries at most. */
const MAX_IDS = 500;

/**
 * `_id` lookups of one collection, combined: the lookups asked for in one turn of the event loop,
 * or while one is under way, go to the store as one `_id $in` query (FerretDB serves it from its
 * `_id` index, as mongod does). A burst of requests (a gateway's sockets re-joining their rooms
 * after another gateway died) then costs the store a few queries instead of one per request. Each
 * query starts after every lookup it carries was asked for: a lookup sees every write completed
 * before it.
 */
export class IdLookups<T extends { _id: unknown }> {
  private readonly combiner: CommandCombiner<string, T | null>;

  /** `find`: the documents among `ids` (in any order; missing ones left out). */
  constructor(find: (ids: string[]) => Promise<T[]>) {
    this.combiner = new CommandCombiner<string, T | null>(async (batch) => {
      const found = await find([...new Set(batch.flatMap((p) => p.docs))]);
      const byId = new Map(found.map((doc) => [String(doc._id), doc]));
      for (const pending of batch) pending.resolve(byId.get(pending.docs[0]) ?? null);
      return [];
    }, MAX_IDS);
  }

  find(id: string): Promise<T | null> {
    return this.combiner.submit([id]);
  }
}
