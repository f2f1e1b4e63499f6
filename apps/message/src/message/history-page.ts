import { DomainError } from '@app/errors';

export interface PageRequest {
  before?: number;
  after?: number;
  limit: number;
}

/** Inclusive seq bounds of a page (empty when from > to), and whether more lie beyond it. */
export interface SeqRange {
  from: number;
  to: number;
  hasMore: boolean;
}

/**
 * Seqs are 1..lastSeq without gaps, so a page is plain arithmetic. No cursor or `before`: the
 * `limit` seqs just below the cursor (or the top), hasMore = older exist. `after`: the `limit`
 * seqs just above it, hasMore = newer exist. Both at once has no meaning.
 */
export function pageRange(req: PageRequest, lastSeq: number): SeqRange {
  const { before, after, limit } = req;
  if (before !== undefined && after !== undefined) {
    throw DomainError.validation('before and after cannot be combined');
  }
  if (after !== undefined) {
    return { from: after + 1, to: Math.min(after + limit, lastSeq), hasMore: lastSeq > after + limit };
  }
  const to = before === undefined ? lastSeq : Math.min(before - 1, lastSeq);
  const from = Math.max(1, to - limit + 1);
  return { from, to, hasMore: from > 1 && to >= 1 };
}

export function seqsOf(range: SeqRange): number[] {
  const seqs: number[] = [];
  for (let seq = range.from; seq <= range.to; seq++) seqs.push(seq);
  return seqs;
}
