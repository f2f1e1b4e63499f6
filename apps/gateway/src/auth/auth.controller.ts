import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  Credentials,
  ErrorCode,
  LoginReply,
  RegisterBody,
  RegisterReply,
  SessionView,
  UserReply,
} from '@app/contracts';
import type { Request, Response } from 'express';
import { ApiErrors, JSON_BODY_ERRORS } from '../api-docs/api-errors.decorator';
import { clientAddress } from '../common/client-address';
import { GatewayConfig } from '../gateway.config';
import { AuthService } from './auth.service';
import { CurrentSession } from './current-session.decorator';
import { SESSION_COOKIE, sessionCookieOptions } from './session-cookie';
import { SessionAuthGuard } from './session-auth.guard';

@ApiTags('auth')
@ApiErrors(ErrorCode.UNAVAILABLE)
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: GatewayConfig,
  ) {}

  @Post('register')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a user' })
  @ApiCreatedResponse({ type: RegisterReply, description: 'The new user' })
  @ApiErrors(...JSON_BODY_ERRORS, ErrorCode.USERNAME_TAKEN, ErrorCode.RATE_LIMITED)
  register(@Body() body: RegisterBody, @Req() req: Request): Promise<RegisterReply> {
    return this.auth.register(body, clientAddress(req));
  }

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Open a session: a token, also set as the sid cookie (HttpOnly, SameSite=Lax)' })
  @ApiOkResponse({
    type: LoginReply,
    description: 'The session',
    headers: { 'Set-Cookie': { description: 'sid=<token>; HttpOnly; SameSite=Lax', schema: { type: 'string' } } },
  })
  @ApiErrors(...JSON_BODY_ERRORS, ErrorCode.INVALID_CREDENTIALS, ErrorCode.RATE_LIMITED)
  async login(
    @Body() body: Credentials,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoginReply> {
    const reply = await this.auth.login(body, clientAddress(req));
    res.cookie(SESSION_COOKIE, reply.token, sessionCookieOptions(this.config.COOKIE_SECURE, reply.expiresAt));
    return reply;
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(SessionAuthGuard)
  @ApiBearerAuth('bearer')
  @ApiCookieAuth('sid')
  @ApiOperation({
    summary: "Revoke the calling session everywhere (its sockets are disconnected); the user's others go on",
  })
  @ApiNoContentResponse({ description: 'Revoked; the sid cookie is cleared' })
  @ApiErrors(ErrorCode.UNAUTHORIZED)
  async logout(@CurrentSession() session: SessionView, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(session);
    res.clearCookie(SESSION_COOKIE, sessionCookieOptions(this.config.COOKIE_SECURE));
  }

  @Get('me')
  @UseGuards(SessionAuthGuard)
  @ApiBearerAuth('bearer')
  @ApiCookieAuth('sid')
  @ApiOperation({ summary: "The session's user" })
  @ApiOkResponse({ type: UserReply, description: "The session's user" })
  @ApiErrors(ErrorCode.UNAUTHORIZED)
  me(@CurrentSession() session: SessionView): UserReply {
    return { user: { id: session.user.id, username: session.user.username } };
  }
}
