import { Injectable } from '@nestjs/common';
import { ErrorCode, LoginReply, LoginRequest } from '@app/contracts';
import { DomainError } from '@app/errors';
import { LoginThrottleService } from '../login-throttle/login-throttle.service';
import { UserService } from '../user/user.service';
import { SessionService } from './session.service';

@Injectable()
export class LoginService {
  constructor(
    private readonly users: UserService,
    private readonly throttle: LoginThrottleService,
    private readonly sessions: SessionService,
  ) {}

  /** Unknown user and wrong password answer alike, in the same time, so neither reveals the other. */
  async login(req: LoginRequest): Promise<LoginReply> {
    const user = await this.throttle.attempt(
      req.username,
      req.clientIp,
      () => this.users.authenticate(req.username, req.password),
      req.exempt === true,
    );
    if (!user) throw new DomainError(ErrorCode.INVALID_CREDENTIALS, 'Wrong username or password');
    return this.sessions.open(user);
  }
}
