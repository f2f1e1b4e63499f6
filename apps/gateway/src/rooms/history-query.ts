import { HISTORY_LIMIT_DEFAULT, HISTORY_LIMIT_MAX } from '@app/contracts';
import { DomainError } from '@app/errors';

export interface HistoryQuery {
  before?: number;
  after?: number;
  limit: number;
}

/** A non-negative integer written plainly: no sign, fraction, exponent, or repeated parameter. */
function seqParam(query: Record<string, unknown>, name: string): number | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) {
    throw DomainError.validation(`${name} must be a non-negative integer`);
  }
  return Number(raw);
}

const PARAMS = ['before', 'after', 'limit'];

/** `?before=S&after=S&limit=L` of the history endpoint; other parameters are ignored. */
export function parseHistoryQuery(query: Record<string, unknown>): HistoryQuery {
  for (const key of Object.keys(query)) {
    // `before[$gt]=0`: an operator-shaped parameter is refused, not silently dropped.
    const base = key.split('[')[0];
    if (key !== base && PARAMS.includes(base)) throw DomainError.validation(`${base} must be a non-negative integer`);
  }
  const before = seqParam(query, 'before');
  const after = seqParam(query, 'after');
  const limit = seqParam(query, 'limit') ?? HISTORY_LIMIT_DEFAULT;
  if (before !== undefined && after !== undefined) {
    throw DomainError.validation('before and after cannot be combined');
  }
  if (limit < 1 || limit > HISTORY_LIMIT_MAX) {
    throw DomainError.validation(`limit must be between 1 and ${HISTORY_LIMIT_MAX}`);
  }
  return { before, after, limit };
}
