import { Body, Controller, Post, Res, UseGuards } from '@nestjs/common';
import { RoomReply, SessionView } from '@app/contracts';
import type { Response } from 'express';
import { CurrentSession } from '../auth/current-session.decorator';
import { SessionAuthGuard } from '../auth/session-auth.guard';
import { UsernameBody } from './rooms.dto';
import { RoomsService } from './rooms.service';

@Controller('api/dm')
@UseGuards(SessionAuthGuard)
export class DirectController {
  constructor(private readonly rooms: RoomsService) {}

  /** 201 when this call created the direct room, 200 when it already existed. */
  @Post()
  async open(@CurrentSession() s: SessionView, @Body() body: UsernameBody, @Res() res: Response): Promise<void> {
    const { room, created } = await this.rooms.openDirect(s.user, body.username);
    // Answered by hand: Nest would overwrite a status chosen at run time.
    const reply: RoomReply = { room };
    res.status(created ? 201 : 200).json(reply);
  }
}
