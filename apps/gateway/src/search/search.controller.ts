import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  ChatSubject,
  ErrorCode,
  SEARCH_LIMIT_DEFAULT,
  SEARCH_LIMIT_MAX,
  SEARCH_QUERY_MAX,
  SearchReply,
  SessionView,
} from '@app/contracts';
import { RpcClient } from '@app/nats';
import { ApiErrors } from '../api-docs/api-errors.decorator';
import { CurrentSession } from '../auth/current-session.decorator';
import { SessionAuthGuard } from '../auth/session-auth.guard';
import { parseSearchParams } from './search-params';

/** `GET /api/search`: validated here, answered by the search service. */
@ApiTags('search')
@ApiBearerAuth('bearer')
@ApiCookieAuth('sid')
@Controller('api/search')
@UseGuards(SessionAuthGuard)
export class SearchController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiOperation({
    summary: 'Messages matching q, newest first, in the rooms the caller may read now',
    description: 'Words, "phrases" and from:username; nextBefore is an opaque cursor for the next page.',
  })
  @ApiQuery({ name: 'q', required: true, schema: { type: 'string', minLength: 1, maxLength: SEARCH_QUERY_MAX } })
  @ApiQuery({ name: 'roomId', required: false, schema: { type: 'string' }, description: 'Only this room' })
  @ApiQuery({ name: 'before', required: false, schema: { type: 'string' }, description: 'A nextBefore cursor' })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: SEARCH_LIMIT_MAX, default: SEARCH_LIMIT_DEFAULT },
  })
  @ApiOkResponse({ type: SearchReply, description: 'A page of results' })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.UNAUTHORIZED, ErrorCode.UNAVAILABLE)
  async search(@CurrentSession() s: SessionView, @Query() query: Record<string, unknown>): Promise<SearchReply> {
    const params = parseSearchParams(query);
    const actor = { id: s.user.id, username: s.user.username };
    const { results, nextBefore } = await this.rpc.request(ChatSubject.Search, { actor, ...params });
    return { results, ...(nextBefore === undefined ? {} : { nextBefore }) };
  }
}
