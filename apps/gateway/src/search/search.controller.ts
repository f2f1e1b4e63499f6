import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ChatSubject, SearchReply, SessionView } from '@app/contracts';
import { RpcClient } from '@app/nats';
import { CurrentSession } from '../auth/current-session.decorator';
import { SessionAuthGuard } from '../auth/session-auth.guard';
import { parseSearchParams } from './search-params';

/** `GET /api/search`: validated here, answered by the search service. */
@Controller('api/search')
@UseGuards(SessionAuthGuard)
export class SearchController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  async search(@CurrentSession() s: SessionView, @Query() query: Record<string, unknown>): Promise<SearchReply> {
    const params = parseSearchParams(query);
    const actor = { id: s.user.id, username: s.user.username };
    const { results, nextBefore } = await this.rpc.request(ChatSubject.Search, { actor, ...params });
    return { results, ...(nextBefore === undefined ? {} : { nextBefore }) };
  }
}
