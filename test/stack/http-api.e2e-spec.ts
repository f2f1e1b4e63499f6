import { Json, Session, api, closeAllSockets, connectSocket, registerAndLogin } from '../harness/client';
import { createRoom, expectError, expectMessage, expectRoom, expectUser, send } from '../harness/contract';
import { Stack, startStack } from '../harness/stack';

jest.setTimeout(60_000);

// The HTTP API's shapes: rooms, DMs, history paging, probes, metrics, error bodies.
describe('HTTP API', () => {
  let stack: Stack;
  let gw: string[];
  let a: Session;
  let b: Session;

  beforeAll(async () => {
    stack = await startStack({ gateways: 2 });
    gw = stack.gatewayUrls;
    [a, b] = await Promise.all([registerAndLogin(gw[0], 'httpA'), registerAndLogin(gw[1], 'httpB')]);
  }, 120_000);

  afterAll(async () => {
    closeAllSockets();
    await stack?.stop();
  });

  describe('probes and metrics', () => {
    it('GET /healthz and /readyz answer 200 on every gateway without a session', async () => {
      for (const url of gw) {
        expect((await api(url).get('/healthz')).status).toBe(200);
        expect((await api(url).get('/readyz')).status).toBe(200);
      }
    });

    it('GET /metrics is Prometheus text', async () => {
      const res = await api(gw[1]).get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(res.text).toMatch(/^# HELP \w+ /m);
      expect(res.text).toMatch(/^# TYPE \w+ (counter|gauge|histogram|summary)$/m);
    });

    it('an unknown route is 404 with the contract error body', async () => {
      expectError(await api(gw[0]).get('/api/nothing-here', { token: a.token }), 404, 'NOT_FOUND');
    });
  });

  describe('rooms', () => {
    it('general exists and is public; GET /api/rooms lists it for anyone logged in', async () => {
      const res = await api(gw[1]).get('/api/rooms', { token: b.token });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(['rooms']);
      for (const r of res.body.rooms) expectRoom(r);
      expect(new Set(res.body.rooms.map((r: Json) => r.id)).size).toBe(res.body.rooms.length);
      const general = res.body.rooms.filter((r: Json) => r.name === 'general');
      expect(general).toHaveLength(1);
      expect(general[0].kind).toBe('public');
    });

    it('POST /api/rooms: 201 {room}, the creator is a member; private rooms take members by username', async () => {
      const pub = await api(gw[0]).post('/api/rooms', { name: 'lobby', kind: 'public' }, { token: a.token });
      expect(pub.status).toBe(201);
      expect(Object.keys(pub.body)).toEqual(['room']);
      expectRoom(pub.body.room, { name: 'lobby', kind: 'public', memberCount: 1, lastSeq: 0 });
      const detail = await api(gw[1]).get(`/api/rooms/${pub.body.room.id}`, { token: b.token });
      expect(detail.status).toBe(200);
      expect(detail.body).toEqual({ room: expect.any(Object), members: [a.user] });
      expectRoom(detail.body.room, { id: pub.body.room.id });

      const priv = await api(gw[1]).post(
        '/api/rooms',
        { name: 'pair', kind: 'private', members: [b.user.username] },
        { token: a.token },
      );
      expect(priv.status).toBe(201);
      expectRoom(priv.body.room, { name: 'pair', kind: 'private', memberCount: 2, lastSeq: 0 });
      const listed = await api(gw[0]).get('/api/rooms', { token: b.token });
      expect(listed.body.rooms.map((r: Json) => r.id)).toContain(priv.body.room.id);
    });

    it.each([
      ['no name', { kind: 'public' }],
      ['an empty name', { name: '', kind: 'public' }],
      ['a blank name', { name: '   ', kind: 'public' }],
      ['an 81-character name', { name: 'n'.repeat(81), kind: 'public' }],
      ['kind direct', { name: 'x', kind: 'direct' }],
      ['an unknown kind', { name: 'x', kind: 'secret' }],
      ['a non-array members', { name: 'x', kind: 'private', members: 'bob' }],
      ['an operator as name', { name: { $gt: '' }, kind: 'public' }],
      ['a name of JS whitespace only', { name: '\u00a0\u3000\ufeff', kind: 'public' }],
      ['a name with a control character', { name: 'bell\u0007', kind: 'public' }],
    ])('POST /api/rooms with %s: 400 VALIDATION_FAILED', async (_, body) => {
      expectError(await api(gw[0]).post('/api/rooms', body, { token: a.token }), 400, 'VALIDATION_FAILED');
    });

    it('join (200 {room}) and leave (204) of a public room; memberCount follows', async () => {
      const room = await createRoom(gw[0], a.token, 'joinable');
      const joined = await api(gw[1]).post(`/api/rooms/${room.id}/join`, undefined, { token: b.token });
      expect(joined.status).toBe(200);
      expect(Object.keys(joined.body)).toEqual(['room']);
      expectRoom(joined.body.room, { id: room.id, memberCount: 2 });
      const again = await api(gw[0]).post(`/api/rooms/${room.id}/join`, undefined, { token: b.token });
      expect(again.status).toBe(200);
      expect(again.body.room.memberCount).toBe(2); // idempotent
      const left = await api(gw[1]).post(`/api/rooms/${room.id}/leave`, undefined, { token: b.token });
      expect(left.status).toBe(204);
      const after = await api(gw[0]).get(`/api/rooms/${room.id}`, { token: a.token });
      expect(after.body.room.memberCount).toBe(1);
      expect(after.body.members).toEqual([a.user]);
    });

    it('POST /api/rooms/:id/members: a member adds someone to a private room', async () => {
      const c = await registerAndLogin(gw[0], 'httpC');
      const room = await createRoom(gw[0], a.token, 'inner', 'private');
      const added = await api(gw[1]).post(
        `/api/rooms/${room.id}/members`,
        { username: c.user.username },
        { token: a.token },
      );
      expect(added.status).toBe(200);
      expectRoom(added.body.room, { id: room.id, memberCount: 2 });
      const seen = await api(gw[0]).get(`/api/rooms/${room.id}`, { token: c.token });
      expect(seen.status).toBe(200);
      expect(seen.body.members.map((u: Json) => u.username).sort()).toEqual([a.user.username, c.user.username].sort());
      expectError(
        await api(gw[0]).post(`/api/rooms/${room.id}/members`, {}, { token: a.token }),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('direct rooms', () => {
    it('POST /api/dm: 201 then 200, the same room from either side and either gateway; with yourself 400', async () => {
      const [x, y] = await Promise.all([registerAndLogin(gw[0], 'dmX'), registerAndLogin(gw[1], 'dmY')]);
      const first = await api(gw[0]).post('/api/dm', { username: y.user.username }, { token: x.token });
      expect(first.status).toBe(201);
      expect(Object.keys(first.body)).toEqual(['room']);
      expectRoom(first.body.room, { kind: 'direct', memberCount: 2, lastSeq: 0 });
      const again = await api(gw[1]).post('/api/dm', { username: y.user.username }, { token: x.token });
      expect(again.status).toBe(200);
      expect(again.body.room.id).toBe(first.body.room.id);
      const back = await api(gw[1]).post('/api/dm', { username: x.user.username.toUpperCase() }, { token: y.token });
      expect(back.status).toBe(200);
      expect(back.body.room.id).toBe(first.body.room.id);
      const members = await api(gw[0]).get(`/api/rooms/${first.body.room.id}`, { token: y.token });
      expect(members.body.members.map((u: Json) => u.id).sort()).toEqual([x.user.id, y.user.id].sort());

      expectError(
        await api(gw[0]).post('/api/dm', { username: x.user.username }, { token: x.token }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await api(gw[0]).post('/api/dm', { username: x.user.username.toUpperCase() }, { token: x.token }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(await api(gw[0]).post('/api/dm', {}, { token: x.token }), 400, 'VALIDATION_FAILED');
      // A direct room cannot be joined or extended by anyone else.
      expectError(
        await api(gw[1]).post(`/api/rooms/${first.body.room.id}/join`, undefined, { token: a.token }),
        403,
        'FORBIDDEN',
      );
    });

    it('concurrent first DMs of one pair make one room', async () => {
      const [x, y] = await Promise.all([registerAndLogin(gw[0], 'dmRaceX'), registerAndLogin(gw[1], 'dmRaceY')]);
      const res = await Promise.all([
        api(gw[0]).post('/api/dm', { username: y.user.username }, { token: x.token }),
        api(gw[1]).post('/api/dm', { username: x.user.username }, { token: y.token }),
        api(gw[1]).post('/api/dm', { username: y.user.username }, { token: x.token }),
      ]);
      expect(new Set(res.map((r) => r.body.room?.id)).size).toBe(1);
      expect(res.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    });
  });

  describe('history', () => {
    let room: Json;
    const N = 7;
    const page = (q: string, url = gw[1]) => api(url).get(`/api/rooms/${room.id}/messages${q}`, { token: b.token });
    const seqs = (res: Json) => res.body.messages.map((m: Json) => m.seq);

    beforeAll(async () => {
      room = await createRoom(gw[0], a.token, 'paged');
      const s = await connectSocket(gw[0], a.token);
      for (let k = 1; k <= N; k++) await send(s, room.id, `m${k}`);
      s.close();
    });

    it('no cursor: the newest page ascending, hasMore = older exist', async () => {
      const all = await page('');
      expect(all.status).toBe(200);
      expect(Object.keys(all.body).sort()).toEqual(['hasMore', 'messages']);
      expect(seqs(all)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(all.body.hasMore).toBe(false);
      for (const m of all.body.messages) expectMessage(m, { roomId: room.id, author: a.user });
      expect(all.body.messages.map((m: Json) => m.body)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
      const newest = await page('?limit=3');
      expect([seqs(newest), newest.body.hasMore]).toEqual([[5, 6, 7], true]);
    });

    it('before=S: the page just before S, hasMore = older exist', async () => {
      const p1 = await page('?before=5&limit=3');
      expect([seqs(p1), p1.body.hasMore]).toEqual([[2, 3, 4], true]);
      const p2 = await page('?before=2&limit=3');
      expect([seqs(p2), p2.body.hasMore]).toEqual([[1], false]);
      const p3 = await page('?before=1');
      expect([seqs(p3), p3.body.hasMore]).toEqual([[], false]);
      const p4 = await page('?before=1000&limit=2');
      expect([seqs(p4), p4.body.hasMore]).toEqual([[6, 7], true]);
    });

    it('after=S: the page just after S, hasMore = newer exist', async () => {
      const p1 = await page('?after=1&limit=3');
      expect([seqs(p1), p1.body.hasMore]).toEqual([[2, 3, 4], true]);
      const p2 = await page('?after=4&limit=3');
      expect([seqs(p2), p2.body.hasMore]).toEqual([[5, 6, 7], false]);
      const p3 = await page('?after=7', gw[0]);
      expect([seqs(p3), p3.body.hasMore]).toEqual([[], false]);
      const p4 = await page('?after=0&limit=100');
      expect(seqs(p4)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      const p5 = await page('?after=1000');
      expect([seqs(p5), p5.body.hasMore]).toEqual([[], false]);
      const p6 = await page('?after=0&limit=7');
      expect([seqs(p6), p6.body.hasMore]).toEqual([[1, 2, 3, 4, 5, 6, 7], false]);
    });

    it.each([
      '?before=3&after=1',
      '?limit=0',
      '?limit=101',
      '?limit=-1',
      '?limit=abc',
      '?limit=2.5',
      '?before=abc',
      '?after=-1',
      '?after=1e2x',
    ])('%s: 400 VALIDATION_FAILED', async (q) => {
      expectError(await page(q), 400, 'VALIDATION_FAILED');
    });

    it('limit=1 and limit=100 are accepted', async () => {
      const one = await page('?limit=1');
      expect([seqs(one), one.body.hasMore]).toEqual([[7], true]);
      expect(seqs(await page('?limit=100'))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    });

    it('public room history is readable by any logged-in user, member or not', async () => {
      const c = await registerAndLogin(gw[1], 'reader');
      const res = await api(gw[1]).get(`/api/rooms/${room.id}/messages?limit=2`, { token: c.token });
      expect(res.status).toBe(200);
      expect(seqs(res)).toEqual([6, 7]);
    });
  });

  describe('me', () => {
    it('GET /api/auth/me: 200 {user}', async () => {
      const res = await api(gw[1]).get('/api/auth/me', { token: a.token });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(['user']);
      expectUser(res.body.user, a.user.username);
    });
  });
});
