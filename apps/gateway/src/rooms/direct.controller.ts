import { Body, Controller, Post, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorCode, RoomReply, SessionView } from '@app/contracts';
import type { Response } from 'express';
import { ApiErrors, JSON_BODY_ERRORS } from '../api-docs/api-errors.decorator';
import { CurrentSession } from '../auth/current-session.decorator';
import { SessionAuthGuard } from '../auth/session-auth.guard';
import { UsernameBody } from './rooms.dto';
import { RoomsService } from './rooms.service';

@ApiTags('rooms')
@ApiBearerAuth('bearer')
@ApiCookieAuth('sid')
@Controller('api/dm')
@UseGuards(SessionAuthGuard)
export class DirectController {
  constructor(private readonly rooms: RoomsService) {}

  /** 201 when this call created the direct room, 200 when it already existed. */
  @Post()
  @ApiOperation({
    summary: 'The one direct room of the caller and another user, the same every time, from either side',
  })
  @ApiOkResponse({ type: RoomReply, description: 'It existed already' })
  @ApiCreatedResponse({ type: RoomReply, description: 'This call created it' })
  @ApiErrors(
    ...JSON_BODY_ERRORS,
    ErrorCode.UNAUTHORIZED,
    ErrorCode.NOT_FOUND,
    ErrorCode.RATE_LIMITED,
    ErrorCode.UNAVAILABLE,
  )
  async open(@CurrentSession() s: SessionView, @Body() body: UsernameBody, @Res() res: Response): Promise<void> {
    const { room, created } = await this.rooms.openDirect(s.user, body.username);
    // Answered by hand: Nest would overwrite a status chosen at run time.
    const reply: RoomReply = { room };
    res.status(created ? 201 : 200).json(reply);
  }
}
