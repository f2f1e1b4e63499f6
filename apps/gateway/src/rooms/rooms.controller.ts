import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import {
  ErrorCode,
  GetRoomReply,
  HISTORY_LIMIT_DEFAULT,
  HISTORY_LIMIT_MAX,
  HistoryReply,
  ListRoomsReply,
  RoomReply,
  SessionView,
} from '@app/contracts';
import { ApiErrors, JSON_BODY_ERRORS } from '../api-docs/api-errors.decorator';
import { CurrentSession } from '../auth/current-session.decorator';
import { SessionAuthGuard } from '../auth/session-auth.guard';
import { CreateRoomBody, UsernameBody } from './rooms.dto';
import { RoomsService } from './rooms.service';

@ApiTags('rooms')
@ApiBearerAuth('bearer')
@ApiCookieAuth('sid')
@ApiErrors(ErrorCode.UNAUTHORIZED, ErrorCode.UNAVAILABLE)
@Controller('api/rooms')
@UseGuards(SessionAuthGuard)
export class RoomsController {
  constructor(private readonly rooms: RoomsService) {}

  @Get()
  @ApiOperation({ summary: 'Public rooms and every room the caller is a member of' })
  @ApiOkResponse({ type: ListRoomsReply, description: 'The rooms' })
  list(@CurrentSession() s: SessionView): Promise<ListRoomsReply> {
    return this.rooms.list(s.user);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a room; the creator is a member (owner)' })
  @ApiCreatedResponse({ type: RoomReply, description: 'The new room' })
  @ApiErrors(...JSON_BODY_ERRORS, ErrorCode.NOT_FOUND, ErrorCode.RATE_LIMITED)
  create(@CurrentSession() s: SessionView, @Body() body: CreateRoomBody): Promise<RoomReply> {
    return this.rooms.create(s.user, body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A room and its members' })
  @ApiOkResponse({ type: GetRoomReply, description: 'The room and its members' })
  @ApiErrors(ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND)
  get(@CurrentSession() s: SessionView, @Param('id') id: string): Promise<GetRoomReply> {
    return this.rooms.get(s.user, id);
  }

  @Post(':id/join')
  @HttpCode(200)
  @ApiOperation({ summary: 'Join a public room (a private one: 403 unless already a member)' })
  @ApiOkResponse({ type: RoomReply, description: 'The room, the caller a member' })
  @ApiErrors(ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND)
  join(@CurrentSession() s: SessionView, @Param('id') id: string): Promise<RoomReply> {
    return this.rooms.join(s.user, id);
  }

  @Post(':id/leave')
  @HttpCode(204)
  @ApiOperation({ summary: 'Leave a room: every socket of the user stops receiving it' })
  @ApiNoContentResponse({ description: 'Left' })
  @ApiErrors(ErrorCode.NOT_FOUND)
  leave(@CurrentSession() s: SessionView, @Param('id') id: string): Promise<void> {
    return this.rooms.leave(s.user, id);
  }

  @Post(':id/members')
  @HttpCode(200)
  @ApiOperation({ summary: 'A member adds someone to a private room' })
  @ApiOkResponse({ type: RoomReply, description: 'The room, the user a member' })
  @ApiErrors(...JSON_BODY_ERRORS, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND)
  addMember(@CurrentSession() s: SessionView, @Param('id') id: string, @Body() body: UsernameBody): Promise<RoomReply> {
    return this.rooms.addMember(s.user, id, body.username);
  }

  @Get(':id/messages')
  @ApiOperation({
    summary: 'A page of history, ascending by seq',
    description:
      'No cursor: the newest page, hasMore = older exist; before=S: the page just before S, hasMore = older ' +
      'exist; after=S: the page just after S, hasMore = newer exist; both: 400. Public rooms: any logged-in ' +
      'user; private and direct rooms: members only (403).',
  })
  @ApiQuery({ name: 'before', required: false, schema: { type: 'integer', minimum: 0 } })
  @ApiQuery({ name: 'after', required: false, schema: { type: 'integer', minimum: 0 } })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: HISTORY_LIMIT_MAX, default: HISTORY_LIMIT_DEFAULT },
  })
  @ApiOkResponse({ type: HistoryReply, description: 'A page of messages' })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND)
  history(
    @CurrentSession() s: SessionView,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
  ): Promise<HistoryReply> {
    return this.rooms.history(s.user, id, query);
  }
}
