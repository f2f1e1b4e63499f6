import { Injectable } from '@nestjs/common';
import { ErrorCode, EventSubject, LoginReply, SessionView, UserView } from '@app/contracts';
import { DomainError } from '@app/errors';
import { EventBus } from '@app/nats';
import { AuthConfig } from '../auth.config';
import { SessionRepository } from './session.repository';
import { hashSessionToken, isWellFormedToken, newSessionToken } from './session-token';

@Injectable()
export class SessionService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly events: EventBus,
    private readonly config: AuthConfig,
  ) {}

  async open(user: UserView): Promise<LoginReply> {
    const token = newSessionToken();
    const expiresAt = new Date(Date.now() + this.config.SESSION_TTL_SECONDS * 1000);
    await this.sessions.insert({
      _id: hashSessionToken(token),
      userId: user.id,
      username: user.username,
      expiresAt,
    });
    return { token, expiresAt: expiresAt.toISOString(), user };
  }

  async verify(token: string): Promise<SessionView> {
    if (!isWellFormedToken(token)) throw unauthorized();
    const session = await this.sessions.findByTokenHash(hashSessionToken(token));
    // The TTL index (or the expiry sweep) deletes late: expiry is decided here.
    if (!session || session.expiresAt.getTime() <= Date.now()) throw unauthorized();
    return {
      sessionId: session._id,
      user: { id: session.userId, username: session.username },
      expiresAt: session.expiresAt.toISOString(),
    };
  }

  /** Ends the session and tells every gateway; ending one that is already gone is a no-op. */
  async revoke(sessionId: string): Promise<void> {
    const session = await this.sessions.deleteById(sessionId);
    if (!session) return;
    this.events.publish(EventSubject.SessionRevoked, { sessionId: session._id, userId: session.userId });
  }
}

function unauthorized(): DomainError {
  return new DomainError(ErrorCode.UNAUTHORIZED, 'Not logged in, or the session has ended');
}
