import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { SessionView } from '@app/contracts';
import { Strategy } from 'passport-http-bearer';
import { SessionService } from './session.service';

/** `Authorization: Bearer <token>`. */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(private readonly sessions: SessionService) {
    super();
  }

  async validate(token: string): Promise<SessionView | null> {
    return this.sessions.tryVerify(token);
  }
}
