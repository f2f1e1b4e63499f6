import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AuthSubject,
  LoginReply,
  LoginRequest,
  LogoutReply,
  LogoutRequest,
  VerifySessionReply,
  VerifySessionRequest,
  queueOf,
} from '@app/contracts';
import { LoginService } from './login.service';
import { SessionService } from './session.service';

@Controller()
export class SessionController {
  constructor(
    private readonly logins: LoginService,
    private readonly sessions: SessionService,
  ) {}

  @MessagePattern(AuthSubject.Login, { queue: queueOf(AuthSubject.Login) })
  login(@Payload() req: LoginRequest): Promise<LoginReply> {
    return this.logins.login(req);
  }

  @MessagePattern(AuthSubject.Logout, { queue: queueOf(AuthSubject.Logout) })
  async logout(@Payload() req: LogoutRequest): Promise<LogoutReply> {
    await this.sessions.revoke(req.sessionId);
    return {};
  }

  @MessagePattern(AuthSubject.Verify, { queue: queueOf(AuthSubject.Verify) })
  verify(@Payload() req: VerifySessionRequest): Promise<VerifySessionReply> {
    return this.sessions.verify(req.token);
  }
}
