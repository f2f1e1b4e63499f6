import {
  ID_MAX,
  SEARCH_CURSOR_PATTERN,
  SEARCH_LIMIT_DEFAULT,
  SEARCH_LIMIT_MAX,
  SEARCH_QUERY_MAX,
} from '@app/contracts';
import { DomainError } from '@app/errors';

export interface SearchParams {
  q: string;
  roomId?: string;
  before?: string;
  limit: number;
}

const PARAMS = ['q', 'roomId', 'before', 'limit'];

function single(query: Record<string, unknown>, name: string): string | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw DomainError.validation(`${name} must be given once`);
  return raw;
}

/**
 * `?q=…&roomId=…&before=…&limit=…` of `GET /api/search`: `q` 1–200 characters once trimmed, `limit`
 * 1–50 (default 20), `before` a cursor the server returned. Other parameters are ignored;
 * operator-shaped ones (`q[$ne]=`) are refused.
 */
export function parseSearchParams(query: Record<string, unknown>): SearchParams {
  for (const key of Object.keys(query)) {
    const base = key.split('[')[0];
    if (key !== base && PARAMS.includes(base)) throw DomainError.validation(`${base} must be a plain value`);
  }
  const q = (single(query, 'q') ?? '').trim();
  if (q === '') throw DomainError.validation('q is required: the words to search for');
  if (Array.from(q).length > SEARCH_QUERY_MAX) {
    throw DomainError.validation(`q must be at most ${SEARCH_QUERY_MAX} characters`);
  }
  const roomId = single(query, 'roomId');
  if (roomId !== undefined && (roomId === '' || roomId.length > ID_MAX))
    throw DomainError.validation('roomId is not a room id');
  const before = single(query, 'before');
  if (before !== undefined && !SEARCH_CURSOR_PATTERN.test(before)) {
    throw DomainError.validation('before must be a cursor returned as nextBefore');
  }
  const rawLimit = single(query, 'limit');
  if (rawLimit !== undefined && !/^\d{1,3}$/.test(rawLimit)) {
    throw DomainError.validation(`limit must be an integer between 1 and ${SEARCH_LIMIT_MAX}`);
  }
  const limit = rawLimit === undefined ? SEARCH_LIMIT_DEFAULT : Number(rawLimit);
  if (limit < 1 || limit > SEARCH_LIMIT_MAX) {
    throw DomainError.validation(`limit must be an integer between 1 and ${SEARCH_LIMIT_MAX}`);
  }
  return { q, limit, ...(roomId === undefined ? {} : { roomId }), ...(before === undefined ? {} : { before }) };
}
