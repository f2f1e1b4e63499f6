import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  AuthSubject,
  LoginReply,
  LoginRequest,
  LogoutReply,
  LogoutRequest,
  VerifySessionReply,
  VerifySessionRequest,
} from '@app/contracts';
import { Handles } from '@app/nats';
import { LoginService } from './login.service';
import { SessionService } from './session.service';

@Controller()
export class SessionController {
  constructor(
    private readonly logins: LoginService,
    private readonly sessions: SessionService,
  ) {}

  @Handles(AuthSubject.Login)
  login(@Payload() req: LoginRequest): Promise<LoginReply> {
    return this.logins.login(req);
  }

  @Handles(AuthSubject.Logout)
  async logout(@Payload() req: LogoutRequest): Promise<LogoutReply> {
    await this.sessions.revoke(req.sessionId);
    return {};
  }

  @Handles(AuthSubject.Verify)
  verify(@Payload() req: VerifySessionRequest): Promise<VerifySessionReply> {
    return this.sessions.verify(req.token);
  }
}
