import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { GetRoomReply, HistoryReply, ListRoomsReply, RoomReply, SessionView } from '@app/contracts';
import { CurrentSession } from '../auth/current-session.decorator';
import { SessionAuthGuard } from '../auth/session-auth.guard';
import { CreateRoomBody, UsernameBody } from './rooms.dto';
import { RoomsService } from './rooms.service';

@Controller('api/rooms')
@UseGuards(SessionAuthGuard)
export class RoomsController {
  constructor(private readonly rooms: RoomsService) {}

  @Get()
  list(@CurrentSession() s: SessionView): Promise<ListRoomsReply> {
    return this.rooms.list(s.user);
  }

  @Post()
  @HttpCode(201)
  create(@CurrentSession() s: SessionView, @Body() body: CreateRoomBody): Promise<RoomReply> {
    return this.rooms.create(s.user, body);
  }

  @Get(':id')
  get(@CurrentSession() s: SessionView, @Param('id') id: string): Promise<GetRoomReply> {
    return this.rooms.get(s.user, id);
  }

  @Post(':id/join')
  @HttpCode(200)
  join(@CurrentSession() s: SessionView, @Param('id') id: string): Promise<RoomReply> {
    return this.rooms.join(s.user, id);
  }

  @Post(':id/leave')
  @HttpCode(204)
  leave(@CurrentSession() s: SessionView, @Param('id') id: string): Promise<void> {
    return this.rooms.leave(s.user, id);
  }

  @Post(':id/members')
  @HttpCode(200)
  addMember(@CurrentSession() s: SessionView, @Param('id') id: string, @Body() body: UsernameBody): Promise<RoomReply> {
    return this.rooms.addMember(s.user, id, body.username);
  }

  @Get(':id/messages')
  history(
    @CurrentSession() s: SessionView,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
  ): Promise<HistoryReply> {
    return this.rooms.history(s.user, id, query);
  }
}
