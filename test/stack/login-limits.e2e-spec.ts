import { ApiResponse, api, sleep, uniqueName } from '../harness/client';
import { expectError } from '../harness/contract';
import { Stack, startStack } from '../harness/stack';

jest.setTimeout(60_000);

const PER_PAIR = 3;
const PER_IP = 8;
// Short, so the last test can watch the window pass; every burst below takes well under a second.
const WINDOW_SECONDS = 8;

// Failed logins are limited per (username, address) and per address (429 + Retry-After); successes are not,
// and a clean username is always checked (docs/decisions.md, Login limits).
// The tests run in order: the per-address budget is shared by the whole file (every request is 127.0.0.1).
describe('login failure limits', () => {
  let stack: Stack;
  let gw: string[];
  const PW = 'the right password';

  beforeAll(async () => {
    stack = await startStack({
      gateways: 2,
      env: {
        RATE_LIMIT_EXEMPT: '', // the suites' default exempts loopback, where these requests come from
        LOGIN_MAX_FAILURES_PER_PAIR: String(PER_PAIR),
        LOGIN_MAX_FAILURES_PER_IP: String(PER_IP),
        LOGIN_FAILURE_WINDOW_SECONDS: String(WINDOW_SECONDS),
      },
    });
    gw = stack.gatewayUrls;
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const loginAt = (i: number, username: string, password: string, headers?: Record<string, string>) =>
    api(gw[i % 2]).post('/api/auth/login', { username, password }, { headers });

  const expectLimited = (res: ApiResponse) => {
    expectError(res, 429, 'RATE_LIMITED');
    const retryAfter = res.headers.get('retry-after');
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(WINDOW_SECONDS);
  };

  let alice = '';
  let bob = '';

  it('successful logins are not limited', async () => {
    [alice, bob] = [uniqueName('alice'), uniqueName('bob')];
    for (const u of [alice, bob])
      expect((await api(gw[0]).post('/api/auth/register', { username: u, password: PW })).status).toBe(201);
    for (let i = 0; i < PER_IP + PER_PAIR + 2; i++) expect((await loginAt(i, alice, PW)).status).toBe(200);
  });

  it(`per username and address: ${PER_PAIR} failures (over both gateways) give 401, the next attempt 429 with Retry-After`, async () => {
    for (let i = 0; i < PER_PAIR; i++) {
      expectError(await loginAt(i, alice, `wrong ${i}`), 401, 'INVALID_CREDENTIALS');
    }
    expectLimited(await loginAt(1, alice, 'wrong again'));
    expectLimited(await loginAt(0, alice.toUpperCase(), 'wrong again')); // same name, other case
    // Another username from the same address still gets its answer.
    expect((await loginAt(1, bob, PW)).status).toBe(200);
  });

  it(`per address: past ${PER_IP} failures a name that failed here is refused, a clean one still logs in; X-Forwarded-For does not reset it`, async () => {
    const carol = uniqueName('carol');
    expect((await api(gw[0]).post('/api/auth/register', { username: carol, password: PW })).status).toBe(201);
    // PER_PAIR failures were spent above; fill the address's budget with fresh names.
    for (let i = PER_PAIR; i < PER_IP; i++) {
      expectError(await loginAt(i, uniqueName('nobody'), 'wrong password'), 401, 'INVALID_CREDENTIALS');
    }
    const tried = uniqueName('tried');
    expectError(await loginAt(0, tried, 'wrong password'), 401, 'INVALID_CREDENTIALS');
    expectLimited(await loginAt(1, tried, 'wrong password'));
    expectLimited(await loginAt(0, tried, 'wrong password', { 'x-forwarded-for': '203.0.113.7' }));
    // An office behind one address keeps working: a name without failures here is checked.
    expect((await loginAt(1, carol, PW)).status).toBe(200);
  });

  it('once the window has passed (Retry-After), the username may try again', async () => {
    const limited = await loginAt(0, alice, 'still wrong');
    expectLimited(limited);
    await sleep(Number(limited.headers.get('retry-after')) * 1000 + 500);
    expect((await loginAt(1, alice, PW)).status).toBe(200);
    expectError(await loginAt(0, bob, 'wrong once more'), 401, 'INVALID_CREDENTIALS');
  });
});
