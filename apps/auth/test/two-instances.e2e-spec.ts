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

const PER_USERNAME = 3;
const PER_IP = 8;
const WINDOW_SECONDS = 60;

describe('auth service, two instances on one database, small login limits', () => {
  let auth: AuthFixture;
  beforeAll(async () => {
    auth = await AuthFixture.start(nats.url, {
      instances: 2,
      env: {
        LOGIN_MAX_FAILURES_PER_USERNAME: String(PER_USERNAME),
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
  const register = (username: string) => auth.rpc.request(AuthSubject.Register, { username, password: PW });
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

  it(`per username: ${PER_USERNAME} failures, then RATE_LIMITED with retryAfter for every attempt and case`, async () => {
    const [name, other] = [uniqueUsername('henry'), uniqueUsername('iris')];
    await register(name);
    await register(other);
    const ip = freshIp();
    for (let i = 0; i < PER_USERNAME; i++) {
      await expectCode(login(name, `wrong ${i}`, ip), ErrorCode.INVALID_CREDENTIALS);
    }
    await expectLimited(login(name, 'wrong again', ip));
    await expectLimited(login(name, PW, freshIp())); // the right password too, from anywhere
    await expectLimited(login(name.toUpperCase(), PW, ip));
    // Another user at the same address is not affected.
    await expect(login(other, PW, ip)).resolves.toMatchObject({ user: { username: other } });
  });

  it('counts failures of an unknown username the same way (no hint that it does not exist)', async () => {
    const ghost = uniqueUsername('ghost');
    for (let i = 0; i < PER_USERNAME; i++) {
      await expectCode(login(ghost, 'whatever1', freshIp()), ErrorCode.INVALID_CREDENTIALS);
    }
    await expectLimited(login(ghost, 'whatever1', freshIp()));
  });

  it('resets the username counter on a successful login', async () => {
    const name = uniqueUsername('jack');
    await register(name);
    const ip = freshIp();
    for (let i = 0; i < PER_USERNAME - 1; i++)
      await expectCode(login(name, 'wrong', ip), ErrorCode.INVALID_CREDENTIALS);
    await login(name, PW, ip);
    for (let i = 0; i < PER_USERNAME; i++) await expectCode(login(name, 'wrong', ip), ErrorCode.INVALID_CREDENTIALS);
    await expectLimited(login(name, 'wrong', ip));
  });

  it('counts a burst of parallel failures atomically, across instances', async () => {
    const name = uniqueUsername('kate');
    await register(name);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => errorOf(login(name, 'wrong password', freshIp()))),
    );
    const codes = results.map((e) => e.code);
    const checked = codes.filter((c) => c === ErrorCode.INVALID_CREDENTIALS).length;
    // Racing attempts may refuse one another (never let one another through): at most the limit
    // are checked, and exactly those count.
    expect(checked).toBeLessThanOrEqual(PER_USERNAME);
    expect(codes.filter((c) => c === ErrorCode.RATE_LIMITED)).toHaveLength(10 - checked);
    for (let i = checked; i < PER_USERNAME; i++) {
      await expectCode(login(name, 'wrong password', freshIp()), ErrorCode.INVALID_CREDENTIALS);
    }
    await expectLimited(login(name, PW, freshIp()));
  });

  it(`per address: ${PER_IP} failures over many names, then RATE_LIMITED even for a right password`, async () => {
    const name = uniqueUsername('liam');
    await register(name);
    const ip = freshIp();
    for (let i = 0; i < PER_IP; i++) {
      await expectCode(login(uniqueUsername(`nobody${i}`), 'wrong', ip), ErrorCode.INVALID_CREDENTIALS);
    }
    await expectLimited(login(uniqueUsername('fresh'), 'wrong', ip));
    await expectLimited(login(name, PW, ip));
    // The same user from another address is fine: the name itself has no failures.
    await expect(login(name, PW, freshIp())).resolves.toMatchObject({ user: { username: name } });
  });

  it('never limits successful logins, nor lets them use up the failure budget', async () => {
    const name = uniqueUsername('mia');
    await register(name);
    const ip = freshIp();
    for (let i = 0; i < PER_IP + PER_USERNAME + 2; i++) await login(name, PW, ip);
    for (let i = 0; i < PER_IP; i++) {
      await expectCode(login(uniqueUsername(`nope${i}`), 'wrong', ip), ErrorCode.INVALID_CREDENTIALS);
    }
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
