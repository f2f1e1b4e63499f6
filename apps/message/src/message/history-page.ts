import { DomainError } from '@app/errors';

/** What the repository fetches: one more than the page, to learn whether more exist. */
export interface SeqQuery {
  before?: number;
  after?: number;
  order: 'asc' | 'desc';
  fetch: number;
}

export interface PageRequest {
  before?: number;
  after?: number;
  limit: number;
}

export interface Page<T> {
  items: T[];
  hasMore: boolean;
}

/**
 * No cursor or `before`: walk down from the top (newest first), hasMore = older exist.
 * `after`: walk up, hasMore = newer exist. Both at once has no meaning.
 */
export function planPage(req: PageRequest): SeqQuery {
  if (req.before !== undefined && req.after !== undefined) {
    throw DomainError.validation('before and after cannot be combined');
  }
  if (req.after !== undefined) return { after: req.after, order: 'asc', fetch: req.limit + 1 };
  return { before: req.before, order: 'desc', fetch: req.limit + 1 };
}

/** Trims the extra item off and returns the page ascending by seq. */
export function pageOf<T extends { seq: number }>(fetched: T[], query: SeqQuery): Page<T> {
  const limit = query.fetch - 1;
  const items = fetched.slice(0, limit);
  if (query.order === 'desc') items.reverse();
  return { items, hasMore: fetched.length > limit };
}
