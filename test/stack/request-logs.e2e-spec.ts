import { MongoClient } from 'mongodb';
import { Session, api, closeAllSockets, connectSocket, registerAndLogin, waitFor } from '../harness/client';
import { join, send } from '../harness/contract';
import { AppProcess } from '../harness/app-process';
import { Stack, startStack } from '../harness/stack';

jest.setTimeout(90_000);

type Line = Record<string, unknown>;

/** The JSON lines a process has written so far (LOG_FORMAT=json). */
function linesOf(app: AppProcess): Line[] {
  return app
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);
}

/** Waits until one of the process's lines matches, and returns it. */
async function lineOf(app: AppProcess, match: (line: Line) => boolean): Promise<Line> {
  await waitFor(() => linesOf(app).some(match), 5000);
  return linesOf(app).find(match)!;
}

// Every line a service writes while it works for a request names the request's id, whichever
// service writes it: the id is taken from X-Request-Id (or minted) at the gateway and travels in
// NATS headers. The gateway writes one access line per HTTP request, with no secret in it.
describe('request ids and access logs', () => {
  let stack: Stack;
  let gw: string;
  let alice: Session;

  beforeAll(async () => {
    stack = await startStack({ env: { LOG_FORMAT: 'json', LOG_LEVEL: 'debug' } });
    gw = stack.gatewayUrls[0];
    alice = await registerAndLogin(gw, 'reqlog_a');
  }, 120_000);

  afterAll(async () => {
    closeAllSockets();
    await stack?.stop();
  });

  it("takes the client's X-Request-Id, echoes it, and logs it at the gateway and at the service that served it", async () => {
    const res = await api(gw).post(
      '/api/rooms',
      { name: 'logged', kind: 'public' },
      {
        token: alice.token,
        headers: { 'x-request-id': 'client-chosen-42' },
      },
    );
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe('client-chosen-42');

    const access = await lineOf(stack.gateways[0], (l) => l.reqId === 'client-chosen-42' && 'res' in l);
    expect(access).toMatchObject({ service: 'gateway', req: { method: 'POST', url: '/api/rooms' } });
    expect(access.res).toEqual({ statusCode: 201 });
    expect(typeof access.responseTime).toBe('number');
    const served = await lineOf(stack.message[0], (l) => l.reqId === 'client-chosen-42');
    expect(served).toMatchObject({ service: 'message', msg: 'request served', subject: 'chat.room.create.v1' });
  });

  it('mints an id for a request without a usable one, and never takes a hostile one', async () => {
    const minted = await api(gw).get('/api/rooms', { token: alice.token });
    const hostile = await api(gw).get('/api/rooms', {
      token: alice.token,
      headers: { 'x-request-id': 'x", "forged": "1' },
    });
    const long = await api(gw).get('/api/rooms', { token: alice.token, headers: { 'x-request-id': 'a'.repeat(129) } });
    for (const res of [minted, hostile, long]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(minted.headers.get('x-request-id')).not.toBe(hostile.headers.get('x-request-id'));
  });

  it("carries one socket send's id from the gateway to the message service", async () => {
    const socket = await connectSocket(gw, alice.token);
    const rooms = await api(gw).get('/api/rooms', { token: alice.token });
    const room = (rooms.body.rooms as { id: string; name: string }[]).find((r) => r.name === 'logged')!;
    await join(socket, room.id);
    await send(socket, room.id, 'traced by its id');

    const asked = await lineOf(
      stack.gateways[0],
      (l) => l.msg === 'request answered' && l.subject === 'chat.message.send.v1',
    );
    expect(asked.reqId).toEqual(expect.any(String));
    const served = await lineOf(stack.message[0], (l) => l.reqId === asked.reqId);
    expect(served).toMatchObject({ msg: 'request served', subject: 'chat.message.send.v1', outcome: 'ok' });
    // The id is the send's own: no other request of the gateway's carried it.
    expect(
      linesOf(stack.gateways[0]).filter((l) => l.reqId === asked.reqId && l.msg === 'request answered'),
    ).toHaveLength(1);
  });

  it('answers an unknown failure INTERNAL with the request id as its reference, logged where it failed', async () => {
    const bob = await registerAndLogin(gw, 'reqlog_b');
    const dm = await api(gw).post('/api/dm', { username: bob.user.username }, { token: alice.token });
    expect(dm.status).toBe(201);
    // A direct room whose participants are not a list: the message service trips over it.
    const store = await MongoClient.connect(stack.mongoUrl);
    try {
      const { modifiedCount } = await store
        .db()
        .collection('rooms')
        .updateOne({ _id: dm.body.room.id }, { $set: { participants: 'not a list' } });
      expect(modifiedCount).toBe(1);
    } finally {
      await store.close();
    }

    const res = await api(gw).get(`/api/rooms/${dm.body.room.id}`, {
      token: alice.token,
      headers: { 'x-request-id': 'broken-room-7' },
    });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'INTERNAL', message: 'Internal error (ref broken-room-7)' } });
    const failed = await lineOf(stack.message[0], (l) => l.reqId === 'broken-room-7' && l.level === 50);
    expect(failed).toMatchObject({ ref: 'broken-room-7', err: expect.objectContaining({ type: expect.any(String) }) });
  });

  it('writes no credential into the access log', async () => {
    const secret = 'hunter2-never-logged';
    const bob = await registerAndLogin(gw, 'reqlog_c', secret);
    const login = await api(gw).post('/api/auth/login', { username: bob.user.username, password: secret });
    const cookie = login.headers.getSetCookie()[0].split(';')[0];
    await api(gw).get(`/api/rooms?token=${login.body.token}&q=1`, {
      token: login.body.token,
      headers: { cookie, 'x-request-id': 'with-secrets' },
    });
    const access = await lineOf(stack.gateways[0], (l) => l.reqId === 'with-secrets' && 'res' in l);
    expect(access.req).toMatchObject({ url: '/api/rooms?token=%5Bredacted%5D&q=1' });
    const out = stack.gateways[0].output();
    for (const value of [secret, login.body.token as string, cookie.split('=')[1]]) expect(out).not.toContain(value);
  });
});
