import { Injectable } from '@nestjs/common';
import { AuthSubject, Credentials, LoginReply, RegisterReply, RegisterRequest, SessionView } from '@app/contracts';
import { RpcClient } from '@app/nats';
import { SessionService } from './session.service';

@Injectable()
export class AuthService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly sessions: SessionService,
  ) {}

  async register(body: RegisterRequest): Promise<RegisterReply> {
    return this.rpc.request(AuthSubject.Register, { username: body.username, password: body.password });
  }

  /** `clientIp` feeds auth's per-address failure limit. */
  async login(body: Credentials, clientIp: string): Promise<LoginReply> {
    return this.rpc.request(AuthSubject.Login, { username: body.username, password: body.password, clientIp });
  }

  /** Revokes only the calling session; auth broadcasts it so every gateway drops its sockets. */
  async logout(session: SessionView): Promise<void> {
    await this.rpc.request(AuthSubject.Logout, { sessionId: session.sessionId });
    // Refused here at once, even before the broadcast comes back.
    this.sessions.revoke(session.sessionId);
  }
}
