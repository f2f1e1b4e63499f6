import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { Credentials, LoginReply, RegisterBody, RegisterReply, SessionView, UserView } from '@app/contracts';
import type { Request, Response } from 'express';
import { clientAddress } from '../common/client-address';
import { GatewayConfig } from '../gateway.config';
import { AuthService } from './auth.service';
import { CurrentSession } from './current-session.decorator';
import { SESSION_COOKIE, sessionCookieOptions } from './session-cookie';
import { SessionAuthGuard } from './session-auth.guard';

@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: GatewayConfig,
  ) {}

  @Post('register')
  @HttpCode(201)
  register(@Body() body: RegisterBody, @Req() req: Request): Promise<RegisterReply> {
    return this.auth.register(body, clientAddress(req));
  }

  @Post('login')
  @HttpCode(200)
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
  async logout(@CurrentSession() session: SessionView, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(session);
    res.clearCookie(SESSION_COOKIE, sessionCookieOptions(this.config.COOKIE_SECURE));
  }

  @Get('me')
  @UseGuards(SessionAuthGuard)
  me(@CurrentSession() session: SessionView): { user: UserView } {
    return { user: { id: session.user.id, username: session.user.username } };
  }
}
