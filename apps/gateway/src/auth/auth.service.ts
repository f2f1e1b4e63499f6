import { Injectable } from '@nestjs/common';
import { AuthSubject, Credentials, LoginReply, RegisterBody, RegisterReply, SessionView } from '@app/contracts';
import { RateLimitsService } from '../common/rate-limits.service';
import { RpcClient } from '@app/nats';
import { SessionService } from './session.service';

@Injectable()
export class AuthService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly sessions: SessionService,
    private readonly limits: RateLimitsService,
  ) {}

  /** `clientIp` feeds auth's per-address registration limit. */
  async register(body: RegisterBody, clientIp: string): Promise<RegisterReply> {
    const { username, password } = body;
    return this.rpc.request(AuthSubject.Register, { username, password, clientIp, ...this.exemption(clientIp) });
  }

  /** `clientIp` feeds auth's per-address failure limit. */
  async login(body: Credentials, clientIp: string): Promise<LoginReply> {
    const { username, password } = body;
    return this.rpc.request(AuthSubject.Login, { username, password, clientIp, ...this.exemption(clientIp) });
  }

  private exemption(clientIp: string): { exempt?: true } {
    return this.limits.isExempt(clientIp) ? { exempt: true } : {};
  }

  /** Revokes only the calling session; auth broadcasts it so every gateway drops its sockets. */
  async logout(session: SessionView): Promise<void> {
    await this.rpc.request(AuthSubject.Logout, { sessionId: session.sessionId });
    // Refused here at once, even before the broadcast comes back.
    this.sessions.revoke(session.sessionId);
  }
}
