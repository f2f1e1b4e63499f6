import 'reflect-metadata';
import { AuthSubject, ErrorCode } from '@app/contracts';
import { AuthFixture, errorOf, expectCode, uniqueUsername } from './auth-service.fixture';
import { PrivateNats, startPrivateNats } from '../../../test/harness/infra';

jest.setTimeout(60_000);

const PW = 'correct horse battery';

let nats: PrivateNats;
beforeAll(async () => {
  nats = await startPrivateNats();
});
afterAll(async () => {
  await nats?.stop();
});

const PER_PAIR = 3;
const PER_USERNAME = 4;
const PER_IP = 8;
const SLOWDOWN_MAX_MS = 600;
const WINDOW_SECONDS = 60;

describe('auth service, two instances on one database, small login limits', () => {
  let auth: AuthFixture;
  beforeAll(async () => {
    auth = await AuthFixture.start(nats.url, {
      instances: 2,
      env: {
        LOGIN_MAX_FAILURES_PER_PAIR: String(PER_PAIR),
        LOGIN_MAX_FAILURES_PER_USERNAME: String(PER_USERNAME),
        LOGIN_SLOWDOWN_MAX_MS: String(SLOWDOWN_MAX_MS),
        LOGIN_MAX_FAILURES_PER_IP: String(PER_IP),
        LOGIN_FAILURE_WINDOW_SECONDS: String(WINDOW_SECONDS),
      },
    });
  }, 60_000);
  afterAll(async () => {
    await auth?.stop();
  });

  let ipSeq = 0;
  /** Each test its own client address, so address budgets never leak between tests. */
  const freshIp = () => `198.51.100.${++ipSeq}`;
  const register = (username: string) =>
    auth.rpc.request(AuthSubject.Register, { username, password: PW, clientIp: '192.0.2.250' });
  const login = (username: string, password: string, clientIp: string) =>
    auth.rpc.request(AuthSubject.Login, { username, password, clientIp });
  const expectLimited = async (call: Promise<unknown>) => {
    const err = await expectCode(call, ErrorCode.RATE_LIMITED);
    expect(err.retryAfter).toEqual(expect.any(Number));
    expect(err.retryAfter).toBeGreaterThanOrEqual(1);
    expect(err.retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
  };

  it('shares the load: both instances answer', async () => {
    expect(await auth.waitForInstances(2)).toEqual(new Set(['auth-0', 'auth-1']));
  });

  it('lets exactly one of many concurrent registrations of one name succeed', async () => {
    const name = uniqueUsername('race');
    const variants = [name, name.toUpperCase(), name.toLowerCase(), `${name[0].toUpperCase()}${name.slice(1)}`];
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => register(variants[i % 4])));
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as { code: string }).code).toBe(ErrorCode.USERNAME_TAKEN);
    }
    const { users } = await auth.rpc.request(AuthSubject.ResolveUsers, { usernames: [name] });
    expect(users).toHaveLength(1);
  });

  it('serves each login exactly once', async () => {
    const name = uniqueUsername('single');
    await register(name);
    const replies = await auth.repliesTo(AuthSubject.Login, { username: name, password: PW, clientIp: freshIp() });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ response: { token: expect.any(String) } });
  });

  it(`per (username, address): ${PER_PAIR} failures, then RATE_LIMITED there for every attempt and case`, async () => {
    const [name, other] = [uniqueUsername('henry'), uniqueUsername('iris')];
    await register(name);
    await register(other);
    const ip = freshIp();
    for (let i = 0; i < PER_PAIR; i++) {
      await expectCode(login(name, `wrong ${i}`, ip), ErrorCode.INVALID_CREDENTIALS);
    }
    await expectLimited(login(name, 'wrong again', ip));
    await expectLimited(login(name, PW, ip)); // the right password too, from that address
    await expectLimited(login(name.toUpperCase(), PW, ip));
    // Nobody can lock the account out: from a clean address the right password is accepted.
    await expect(login(name, PW, freshIp())).resolves.toMatchObject({ user: { username: name } });
    // Another user at the same address is not affected.
    await expect(login(other, PW, ip)).resolves.toMatchObject({ user: { username: other } });
  });

  it('counts failures of an unknown username the same way (no hint that it does not exist)', async () => {
    const ghost = uniqueUsername('ghost');
    const ip = freshIp();
    for (let i = 0; i < PER_PAIR; i++) {
      await expectCode(login(ghost, 'whatever1', ip), ErrorCode.INVALID_CREDENTIALS);
    }
    await expectLimited(login(ghost, 'whatever1', ip));
  });

  it('clears the pair on a successful login', async () => {
    const name = uniqueUsername('jack');
    await register(name);
    const ip = freshIp();
    for (let i = 0; i < PER_PAIR - 1; i++) await expectCode(login(name, 'wrong', ip), ErrorCode.INVALID_CREDENTIALS);
    await login(name, PW, ip);
    for (let i = 0; i < PER_PAIR; i++) await expectCode(login(name, 'wrong', ip), ErrorCode.INVALID_CREDENTIALS);
    await expectLimited(login(name, 'wrong', ip));
  });

  it('counts a burst of parallel failures of one pair atomically, across instances', async () => {
    const name = uniqueUsername('kate');
    await register(name);
    const ip = freshIp();
    const results = await Promise.all(Array.from({ length: 10 }, () => errorOf(login(name, 'wrong password', ip))));
    const codes = results.map((e) => e.code);
    // Every attempt is counted before its password is checked: exactly the limit get checked.
    expect(codes.filter((c) => c === ErrorCode.INVALID_CREDENTIALS)).toHaveLength(PER_PAIR);
    expect(codes.filter((c) => c === ErrorCode.RATE_LIMITED)).toHaveLength(10 - PER_PAIR);
    await expectLimited(login(name, PW, ip));
  });

  it(`per address: past ${PER_IP} failures only usernames clean at that address are still checked`, async () => {
    const [name, tried] = [uniqueUsername('liam'), uniqueUsername('lena')];
    await register(name);
    await register(tried);
    const ip = freshIp();
    await expectCode(login(tried, 'wrong', ip), ErrorCode.INVALID_CREDENTIALS);
    for (let i = 1; i < PER_IP; i++) {
      await expectCode(login(uniqueUsername(`nobody${i}`), 'wrong', ip), ErrorCode.INVALID_CREDENTIALS);
    }
    // A username with a failure from this address is refused now, even with its right password…
    await expectLimited(login(tried, PW, ip));
    // …one without is still checked: a wrong password is a plain failure, the right one logs in.
    await expectCode(login(uniqueUsername('fresh'), 'wrong', ip), ErrorCode.INVALID_CREDENTIALS);
    await expect(login(name, PW, ip)).resolves.toMatchObject({ user: { username: name } });
    // The refused user is fine from another address.
    await expect(login(tried, PW, freshIp())).resolves.toMatchObject({ user: { username: tried } });
  });

  it(`per username: past ${PER_USERNAME} failures from anywhere, attempts are slowed, never refused`, async () => {
    const name = uniqueUsername('mona');
    await register(name);
    const started = Date.now();
    await login(name, PW, freshIp());
    const normal = Date.now() - started;
    for (let i = 0; i < PER_USERNAME + 1; i++) {
      await expectCode(login(name, 'wrong', freshIp()), ErrorCode.INVALID_CREDENTIALS);
    }
    const slowed = Date.now();
    await expect(login(name, PW, freshIp())).resolves.toMatchObject({ user: { username: name } });
    // PER_USERNAME + 1 failures: 250 ms × 2 = 500 ms of waiting, within the 600 ms cap.
    expect(Date.now() - slowed).toBeGreaterThanOrEqual(500);
    expect(Date.now() - slowed).toBeLessThan(normal + SLOWDOWN_MAX_MS + 2000);
  });

  it('never limits successful logins, nor lets them use up the failure budget', async () => {
    const name = uniqueUsername('mia');
    await register(name);
    const ip = freshIp();
    for (let i = 0; i < PER_IP + PER_PAIR + 2; i++) await login(name, PW, ip);
    for (let i = 0; i < PER_PAIR; i++) await expectCode(login(name, 'wrong', ip), ErrorCode.INVALID_CREDENTIALS);
    await expectLimited(login(name, PW, ip));
  });

  it('stops cleanly on SIGTERM while the other instance goes on serving', async () => {
    const [first, second] = auth.apps;
    await first.stop();
    // Nest runs the shutdown hooks, then re-raises the signal: SIGTERM, not the harness's SIGKILL.
    expect(first.child.signalCode).toBe('SIGTERM');
    expect(first.output()).not.toMatch(/ERROR/);
    const name = uniqueUsername('noah');
    await register(name);
    await expect(login(name, PW, freshIp())).resolves.toMatchObject({ user: { username: name } });
    expect(second.child.exitCode).toBeNull();
  });
});
