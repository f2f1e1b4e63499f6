import 'reflect-metadata';
import { AuthSubject, ErrorCode, SessionView } from '@app/contracts';
import { DomainError } from '@app/errors';
import { RpcClient } from '@app/nats';
import { GatewayConfig } from '../gateway.config';
import { SessionService } from './session.service';

const TTL_MS = 2000;

/** Stands in for auth's Verify: knows exactly the sessions it was given. */
class FakeAuth {
  calls = 0;
  down = false;
  readonly sessions = new Map<string, SessionView>();

  request(subject: string, payload: { token: string }): Promise<SessionView> {
    expect(subject).toBe(AuthSubject.Verify);
    this.calls++;
    if (this.down) return Promise.reject(DomainError.unavailable());
    const session = this.sessions.get(payload.token);
    return session
      ? Promise.resolve(session)
      : Promise.reject(new DomainError(ErrorCode.UNAUTHORIZED, 'Invalid or expired session'));
  }
}

function session(id: string, expiresInMs = 3_600_000): SessionView {
  return {
    sessionId: id,
    user: { id: `user-${id}`, username: `name_${id}` },
    expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
  };
}

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | undefined> {
  try {
    await promise;
  } catch (e) {
    return e instanceof DomainError ? e.code : undefined;
  }
  return undefined;
}

describe(SessionService.name, () => {
  let auth: FakeAuth;
  let sut: SessionService;

  beforeEach(() => {
    jest.useFakeTimers({ now: Date.parse('2030-01-01T00:00:00Z') });
    auth = new FakeAuth();
    auth.sessions.set('tok-a', session('a'));
    const config = Object.assign(new GatewayConfig(), { SESSION_CACHE_TTL_MS: TTL_MS });
    sut = new SessionService(auth as unknown as RpcClient, config);
  });

  afterEach(() => jest.useRealTimers());

  it('asks auth once per token within the cache TTL, again after it', async () => {
    expect((await sut.verify('tok-a')).sessionId).toBe('a');
    await sut.verify('tok-a');
    expect(auth.calls).toBe(1);
    jest.advanceTimersByTime(TTL_MS);
    await sut.verify('tok-a');
    expect(auth.calls).toBe(2);
  });

  it('shares one round trip between concurrent checks of one token', async () => {
    await Promise.all([sut.verify('tok-a'), sut.verify('tok-a'), sut.verify('tok-a')]);
    expect(auth.calls).toBe(1);
  });

  it('refuses an unknown token with UNAUTHORIZED and does not cache the refusal as a session', async () => {
    expect(await codeOf(sut.verify('forged'))).toBe(ErrorCode.UNAUTHORIZED);
    expect(await sut.tryVerify('forged')).toBeNull();
    expect(await codeOf(sut.verify(''))).toBe(ErrorCode.UNAUTHORIZED);
  });

  it('reports an auth outage as UNAVAILABLE, also from tryVerify', async () => {
    auth.down = true;
    expect(await codeOf(sut.verify('tok-a'))).toBe(ErrorCode.UNAVAILABLE);
    expect(await codeOf(sut.tryVerify('tok-a'))).toBe(ErrorCode.UNAVAILABLE);
  });

  it('forgets a revoked session at once, and refuses it even if auth still vouches for it', async () => {
    await sut.verify('tok-a');
    sut.revoke('a');
    expect(sut.isRevoked('a')).toBe(true);
    // An answer that left auth before the revocation must not bring the session back.
    expect(await codeOf(sut.verify('tok-a'))).toBe(ErrorCode.UNAUTHORIZED);
    expect(auth.calls).toBe(2);
  });

  it('never caches past the session expiry', async () => {
    auth.sessions.set('tok-short', session('short', 500));
    await sut.verify('tok-short');
    jest.advanceTimersByTime(600);
    expect(await codeOf(sut.verify('tok-short'))).toBe(ErrorCode.UNAUTHORIZED);
  });
});
