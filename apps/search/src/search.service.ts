import { Injectable } from '@nestjs/common';
import { ChatSubject, SearchReply, SearchRequest } from '@app/contracts';
import { DomainError } from '@app/errors';
import { RpcClient } from '@app/nats';
import { SearchIndex } from './search-index';
import { matchExpression, parseQuery } from './search-query';

/**
 * Answers a search within what the caller may read now: public rooms (tagged in the index) and the
 * private and direct rooms the message service lists as theirs at this moment, so a room left is
 * out of scope at once.
 */
@Injectable()
export class SearchService {
  constructor(
    private readonly index: SearchIndex,
    private readonly rpc: RpcClient,
  ) {}

  async search({ actor, q, roomId, before, limit }: SearchRequest): Promise<SearchReply> {
    const query = parseQuery(q);
    if (!query) throw DomainError.validation('q must contain a word to search for');
    const cursor = before === undefined ? undefined : decodeCursor(before);
    const { rooms } = await this.rpc.request(ChatSubject.ListRooms, { actor, memberOnly: true });
    const memberRooms = rooms.filter((r) => r.kind !== 'public').map((r) => r.id);
    const hits = this.index.search(matchExpression(query, memberRooms, roomId), limit + 1, cursor);
    const page = hits.slice(0, limit);
    return {
      results: page.map((h) => ({ message: h.message, highlights: h.highlights })),
      ...(hits.length > limit ? { nextBefore: encodeCursor(page[page.length - 1].position) } : {}),
    };
  }
}

export function encodeCursor(position: number): string {
  return Buffer.from(String(position)).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString();
  if (!/^\d{1,17}$/.test(text)) throw DomainError.validation('before must be a cursor returned as nextBefore');
  return Number(text);
}
