import { io } from 'socket.io-client';
import {
  Json,
  Session,
  api,
  closeAllSockets,
  collect,
  connectSocket,
  emitAck,
  newClientMsgId,
  registerAndLogin,
  sleep,
} from '../harness/client';
import { createRoom, expectAckError, expectError, send } from '../harness/contract';
import { Stack, startStack } from '../harness/stack';

jest.setTimeout(60_000);

// Guarantee 6 (access) and the id rule: an unknown id, whatever its form, is 404 / NOT_FOUND.
describe('access to private and direct rooms', () => {
  let stack: Stack;
  let gw: string[];
  let owner: Session;
  let member: Session;
  let outsider: Session;
  let priv: Json;
  let direct: Json;

  beforeAll(async () => {
    stack = await startStack({ gateways: 2 });
    gw = stack.gatewayUrls;
    [owner, member, outsider] = await Promise.all([
      registerAndLogin(gw[0], 'accOwner'),
      registerAndLogin(gw[1], 'accMember'),
      registerAndLogin(gw[0], 'accOut'),
    ]);
    priv = await createRoom(gw[0], owner.token, 'secret', 'private', [member.user.username]);
    const dm = await api(gw[1]).post('/api/dm', { username: member.user.username }, { token: owner.token });
    if (dm.status !== 201) throw new Error(`dm: ${dm.status} ${dm.text}`);
    direct = dm.body.room;
  }, 120_000);

  afterEach(() => closeAllSockets());
  afterAll(async () => {
    closeAllSockets();
    await stack?.stop();
  });

  // Resolved inside each test: the rooms exist only once beforeAll ran.
  const kinds = ['private', 'direct'];
  const roomOf = (kind: string): Json => (kind === 'private' ? priv : direct);

  it('the member sees both rooms in GET /api/rooms, the outsider sees neither', async () => {
    const mine = await api(gw[1]).get('/api/rooms', { token: member.token });
    expect(mine.status).toBe(200);
    const ids = mine.body.rooms.map((r: Json) => r.id);
    expect(ids).toEqual(expect.arrayContaining([priv.id, direct.id]));
    const theirs = await api(gw[0]).get('/api/rooms', { token: outsider.token });
    expect(theirs.status).toBe(200);
    const outIds = theirs.body.rooms.map((r: Json) => r.id);
    expect(outIds).not.toContain(priv.id);
    expect(outIds).not.toContain(direct.id);
  });

  it.each(kinds)(
    '%s room: a non-member gets 403 FORBIDDEN on GET room, history and join, on both gateways',
    async (kind) => {
      const room = roomOf(kind);
      for (const url of gw) {
        const c = api(url);
        expectError(await c.get(`/api/rooms/${room.id}`, { token: outsider.token }), 403, 'FORBIDDEN');
        expectError(await c.get(`/api/rooms/${room.id}/messages`, { token: outsider.token }), 403, 'FORBIDDEN');
        expectError(await c.get(`/api/rooms/${room.id}/messages?after=0`, { token: outsider.token }), 403, 'FORBIDDEN');
        expectError(await c.post(`/api/rooms/${room.id}/join`, undefined, { token: outsider.token }), 403, 'FORBIDDEN');
        expectError(
          await c.post(
            `/api/rooms/${room.id}/members`,
            { username: outsider.user.username },
            { token: outsider.token },
          ),
          403,
          'FORBIDDEN',
        );
      }
      // The members themselves can read it.
      const ok = await api(gw[1]).get(`/api/rooms/${room.id}`, { token: member.token });
      expect(ok.status).toBe(200);
      expect(ok.body.members.map((u: Json) => u.id).sort()).toEqual([owner.user.id, member.user.id].sort());
    },
  );

  it.each(kinds)(
    '%s room: a non-member socket gets FORBIDDEN on room:join and message:send, and no events leak',
    async (kind) => {
      const room = roomOf(kind);
      const [out0, out1, own0, mem1] = await Promise.all([
        connectSocket(gw[0], outsider.token),
        connectSocket(gw[1], outsider.token),
        connectSocket(gw[0], owner.token),
        connectSocket(gw[1], member.token),
      ]);
      const leaks = [out0, out1].flatMap((s) =>
        ['message:new', 'room:member', 'typing', 'message:updated', 'message:deleted'].map((e) => collect(s, e)),
      );
      const onMember = collect(mem1, 'message:new');
      for (const s of [out0, out1]) {
        expectAckError(await emitAck(s, 'room:join', { roomId: room.id }), 'FORBIDDEN');
        expectAckError(await emitAck(s, 'room:join', { roomId: room.id, afterSeq: 0 }), 'FORBIDDEN');
        expectAckError(
          await emitAck(s, 'message:send', { roomId: room.id, clientMsgId: newClientMsgId(), body: 'let me in' }),
          'FORBIDDEN',
        );
      }
      // A member confirms membership over the socket.
      const confirmed = await emitAck(mem1, 'room:join', { roomId: room.id });
      expect(confirmed).toEqual({
        ok: true,
        room: expect.objectContaining({ id: room.id }),
        missed: [],
        hasMore: false,
      });
      const before = (await api(gw[0]).get(`/api/rooms/${room.id}`, { token: owner.token })).body.room.lastSeq;
      const m = await send(own0, room.id, 'members only');
      expect(m.seq).toBe(before + 1); // the outsider's attempts stored nothing
      await onMember.until((items) => items.some((x) => x.id === m.id));
      await sleep(400);
      for (const c of leaks) expect(c.items).toEqual([]);
    },
  );

  it('after leaving a private room the former member is refused and hears nothing more', async () => {
    const [a, b] = await Promise.all([registerAndLogin(gw[0], 'leaveA'), registerAndLogin(gw[1], 'leaveB')]);
    const room = await createRoom(gw[0], a.token, 'leavable', 'private', [b.user.username]);
    const [a0, b0, b1] = await Promise.all([
      connectSocket(gw[0], a.token),
      connectSocket(gw[0], b.token),
      connectSocket(gw[1], b.token),
    ]);
    const heard = [b0, b1].map((s) => collect(s, 'message:new'));
    await send(a0, room.id, 'b is still in');
    for (const c of heard) await c.until((items) => items.length === 1);
    const left = await api(gw[1]).post(`/api/rooms/${room.id}/leave`, undefined, { token: b.token });
    expect(left.status).toBe(204);
    expect(left.text).toBe('');
    await sleep(300);
    await send(a0, room.id, 'b has left');
    await sleep(400);
    for (const c of heard) expect(c.items.map((m) => m.body)).toEqual(['b is still in']);
    expectError(await api(gw[0]).get(`/api/rooms/${room.id}/messages`, { token: b.token }), 403, 'FORBIDDEN');
    expectAckError(
      await emitAck(b1, 'message:send', { roomId: room.id, clientMsgId: newClientMsgId(), body: 'x' }),
      'FORBIDDEN',
    );
  });

  const unknownIds = [
    'no-such-room',
    '000000000000000000000000',
    '5f1d7f8e9b1e8a3d4c2b1a09',
    'c0ffee00-0000-4000-8000-000000000000',
    '1',
    'x'.repeat(300),
    'ünïcödé',
    '$where',
    '{"$ne":null}',
    'a b',
  ];

  it.each(unknownIds)('unknown room id %j: 404 NOT_FOUND over HTTP', async (id) => {
    const c = api(gw[0]);
    const p = `/api/rooms/${encodeURIComponent(id)}`;
    expectError(await c.get(p, { token: outsider.token }), 404, 'NOT_FOUND');
    expectError(await c.get(`${p}/messages`, { token: outsider.token }), 404, 'NOT_FOUND');
    expectError(await c.post(`${p}/join`, undefined, { token: outsider.token }), 404, 'NOT_FOUND');
    expectError(await c.post(`${p}/leave`, undefined, { token: outsider.token }), 404, 'NOT_FOUND');
    expectError(
      await c.post(`${p}/members`, { username: owner.user.username }, { token: outsider.token }),
      404,
      'NOT_FOUND',
    );
  });

  it.each(unknownIds)('unknown room id %j: NOT_FOUND on the socket', async (id) => {
    const s = await connectSocket(gw[1], outsider.token);
    expectAckError(await emitAck(s, 'room:join', { roomId: id }), 'NOT_FOUND');
    expectAckError(await emitAck(s, 'room:join', { roomId: id, afterSeq: 3 }), 'NOT_FOUND');
    expectAckError(await emitAck(s, 'room:leave', { roomId: id }), 'NOT_FOUND');
    expectAckError(
      await emitAck(s, 'message:send', { roomId: id, clientMsgId: newClientMsgId(), body: 'hello?' }),
      'NOT_FOUND',
    );
  });

  it('a DM with a user that does not exist is 404 NOT_FOUND; adding an unknown username is 404', async () => {
    expectError(
      await api(gw[0]).post('/api/dm', { username: 'nobody_by_that_name' }, { token: owner.token }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await api(gw[0]).post(
        `/api/rooms/${priv.id}/members`,
        { username: 'nobody_by_that_name' },
        { token: owner.token },
      ),
      404,
      'NOT_FOUND',
    );
  });

  it('everything behind /api needs a session: 401 UNAUTHORIZED without one, and with a forged one', async () => {
    const c = api(gw[1]);
    const calls: Array<[string, string]> = [
      ['GET', '/api/auth/me'],
      ['GET', '/api/rooms'],
      ['POST', '/api/rooms'],
      ['GET', `/api/rooms/${priv.id}`],
      ['GET', `/api/rooms/${priv.id}/messages`],
      ['POST', `/api/rooms/${priv.id}/join`],
      ['POST', `/api/rooms/${priv.id}/leave`],
      ['POST', `/api/rooms/${priv.id}/members`],
      ['POST', '/api/dm'],
      ['POST', '/api/auth/logout'],
    ];
    for (const [method, path] of calls) {
      expectError(await c.request(method, path, method === 'GET' ? {} : { json: {} }), 401, 'UNAUTHORIZED');
      expectError(
        await c.request(method, path, { ...(method === 'GET' ? {} : { json: {} }), token: 'forged-token' }),
        401,
        'UNAUTHORIZED',
      );
      expectError(
        await c.request(method, path, { ...(method === 'GET' ? {} : { json: {} }), cookie: 'sid=forged' }),
        401,
        'UNAUTHORIZED',
      );
    }
  });

  it('a socket without a valid session is refused with connect_error UNAUTHORIZED', async () => {
    for (const url of gw) {
      await expect(connectSocket(url, '')).rejects.toHaveProperty('message', 'UNAUTHORIZED');
      await expect(connectSocket(url, 'forged-token')).rejects.toHaveProperty('message', 'UNAUTHORIZED');
      await expect(connectSocket(url, { cookie: 'sid=forged' })).rejects.toHaveProperty('message', 'UNAUTHORIZED');
    }
    // A token that is not a string is no session either.
    for (const token of [12345, { $ne: null }, ['x'], null]) {
      const err = await new Promise<Error>((resolve) => {
        const s = io(gw[0], {
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
          auth: { token },
        });
        s.once('connect', () => {
          s.close();
          resolve(new Error('connected'));
        });
        s.once('connect_error', (e) => {
          s.close();
          resolve(e);
        });
      });
      expect(err.message).toBe('UNAUTHORIZED');
    }
    // and with the cookie of a real session it connects
    const s = await connectSocket(gw[1], { cookie: outsider.cookie });
    expect(s.connected).toBe(true);
  });
});
