import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { SessionView } from '@app/contracts';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { SESSION_COOKIE } from './session-cookie';
import { SessionService } from './session.service';

/** The `sid` cookie the login sets, for browsers. */
@Injectable()
export class SidCookieStrategy extends PassportStrategy(Strategy, 'sid-cookie') {
  constructor(private readonly sessions: SessionService) {
    super();
  }

  async validate(req: Request): Promise<SessionView | null> {
    const cookies = req.cookies as Record<string, unknown> | undefined;
    const token = cookies?.[SESSION_COOKIE];
    return this.sessions.tryVerify(typeof token === 'string' ? token : undefined);
  }
}
