import type { Socket } from 'socket.io-client';
import {
  Json,
  Session,
  closeAllSockets,
  collect,
  connectSocket,
  emitAck,
  newClientMsgId,
  registerAndLogin,
  sleep,
} from '../harness/client';
import { createRoom, expectAckError, expectMessage, expectRoom, join, joinHttp, send } from '../harness/contract';
import { Stack, startStack } from '../harness/stack';

jest.setTimeout(60_000);

// Guarantees 1 (order), 3 (idempotency), 4 (exactly one copy) and 5 (catch-up), over two gateways.
describe('delivery across gateways', () => {
  let stack: Stack;
  let gw: string[];

  beforeAll(async () => {
    // Two message instances: seqs and idempotency must hold when requests of one room land on both.
    stack = await startStack({ gateways: 2, messageInstances: 2 });
    gw = stack.gatewayUrls;
  }, 120_000);

  afterEach(() => closeAllSockets());
  afterAll(async () => {
    closeAllSockets();
    await stack?.stop();
  });

  const seqsOf = (msgs: Json[], roomId: string) => msgs.filter((m) => m.roomId === roomId).map((m) => m.seq as number);
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('order: with concurrent senders, every socket on both gateways sees seq 1..N in order, no gaps', async () => {
    const users = await Promise.all([0, 1, 2, 3].map((i) => registerAndLogin(gw[i % 2], `ord${i}`)));
    const room = await createRoom(gw[0], users[0].token, 'order-room');
    await Promise.all(users.slice(1).map((u, i) => joinHttp(gw[i % 2], u.token, room.id)));
    const sockets = await Promise.all(
      users.flatMap((u) => [connectSocket(gw[0], u.token), connectSocket(gw[1], u.token)]),
    );
    const seen = sockets.map((s) => collect(s, 'message:new'));

    const perSender = 15;
    const total = perSender * users.length;
    // Every user fires all its sends at once from its socket on one gateway, all users at the same time.
    const acks = await Promise.all(
      users.flatMap((u, i) =>
        range(1, perSender).map((k) =>
          send(sockets[i * 2 + (k % 2)], room.id, `u${i} m${k}`, newClientMsgId(), 20_000),
        ),
      ),
    );
    expect(acks.map((m) => m.seq).sort((a, b) => a - b)).toEqual(range(1, total));
    await Promise.all(
      seen.map((c) => c.until((items) => seqsOf(items, room.id).length >= total, 10_000).catch(() => undefined)),
    );
    await sleep(300); // a late duplicate would show up here
    const got = seen.map((c, i) => ({
      socket: `${users[i >> 1].user.username}@gw${i % 2}`,
      seqs: seqsOf(c.items, room.id),
    }));
    expect(got).toEqual(got.map((g) => ({ socket: g.socket, seqs: range(1, total) })));

    const res = await fetch(`${gw[1]}/api/rooms/${room.id}`, {
      headers: { authorization: `Bearer ${users[1].token}` },
    });
    expect(((await res.json()) as Json).room.lastSeq).toBe(total);
  });

  it('exactly one copy: two sockets of a user on two gateways plus other members each get every message:new once', async () => {
    const [u, v, w] = await Promise.all(['dupU', 'dupV', 'dupW'].map((p, i) => registerAndLogin(gw[i % 2], p)));
    const room = await createRoom(gw[0], u.token, 'dup-room');
    await joinHttp(gw[1], v.token, room.id);
    await joinHttp(gw[0], w.token, room.id);
    const [u0, u1, v0, w1] = await Promise.all([
      connectSocket(gw[0], u.token),
      connectSocket(gw[1], u.token),
      connectSocket(gw[0], v.token),
      connectSocket(gw[1], w.token),
    ]);
    // Confirming membership again must not subscribe a second time.
    await join(u0, room.id);
    await join(u0, room.id);
    await join(u1, room.id);
    const sockets = [u0, u1, v0, w1];
    const seen = sockets.map((s) => collect(s, 'message:new'));

    const sent: Json[] = [];
    for (let k = 0; k < 4; k++) sent.push(await send(u0, room.id, `from u ${k}`));
    for (let k = 0; k < 4; k++) sent.push(await send(v0, room.id, `from v ${k}`));
    for (const c of seen) await c.until((items) => items.length >= sent.length);
    await sleep(500);
    for (const c of seen) {
      expect(c.items.map((m) => m.id)).toEqual(sent.map((m) => m.id));
      for (const m of c.items) expectMessage(m, { roomId: room.id });
    }
    // What a socket receives is what the sender's ack said.
    expect(seen[3].items).toEqual(sent);
  });

  it('message:new carries the contract Message, identical to the ack, author = sender', async () => {
    const [a, b] = await Promise.all([registerAndLogin(gw[0], 'shapeA'), registerAndLogin(gw[1], 'shapeB')]);
    const room = await createRoom(gw[0], a.token, 'shape-room');
    await joinHttp(gw[1], b.token, room.id);
    const [sa, sb] = await Promise.all([connectSocket(gw[0], a.token), connectSocket(gw[1], b.token)]);
    const onB = collect(sb, 'message:new');
    const clientMsgId = newClientMsgId();
    const ack = await emitAck(sa, 'message:send', { roomId: room.id, clientMsgId, body: '  spaced body  ' });
    expect(ack).toEqual({ ok: true, message: expect.any(Object) });
    expectMessage(ack.message, { roomId: room.id, seq: 1, author: a.user, body: '  spaced body  ', clientMsgId });
    await onB.until((items) => items.length === 1);
    expect(onB.items[0]).toEqual(ack.message);
  });

  it('idempotency: a retry with the same clientMsgId (other body, other gateway, other room) returns the first message', async () => {
    const [a, b] = await Promise.all([registerAndLogin(gw[0], 'idemA'), registerAndLogin(gw[1], 'idemB')]);
    const room = await createRoom(gw[0], a.token, 'idem-room');
    const other = await createRoom(gw[0], a.token, 'idem-other');
    await joinHttp(gw[1], b.token, room.id);
    const [a0, a1, b1] = await Promise.all([
      connectSocket(gw[0], a.token),
      connectSocket(gw[1], a.token),
      connectSocket(gw[1], b.token),
    ]);
    const onB = collect(b1, 'message:new');
    const id = newClientMsgId();
    const first = await send(a0, room.id, 'first body', id);
    const again = await send(a1, room.id, 'second body', id);
    const elsewhere = await send(a0, other.id, 'third body', id);
    expect(again).toEqual(first);
    expect(elsewhere).toEqual(first);
    expect(first.body).toBe('first body');

    // Concurrent retries race on the same id: still one message.
    const id2 = newClientMsgId();
    const burst = await Promise.all(range(1, 6).map((k) => send(k % 2 ? a0 : a1, room.id, `burst ${k}`, id2)));
    expect(new Set(burst.map((m) => m.id)).size).toBe(1);
    expect(burst[0].seq).toBe(2);

    // Another user may use the same clientMsgId: it is scoped per user.
    const bMsg = await send(b1, room.id, 'b uses the same id', id);
    expect(bMsg.id).not.toBe(first.id);
    expect(bMsg.seq).toBe(3);

    await onB.until((items) => items.length >= 3);
    await sleep(400);
    expect(onB.items.map((m) => m.seq)).toEqual([1, 2, 3]);
    const hist = await fetch(`${gw[0]}/api/rooms/${room.id}/messages`, {
      headers: { authorization: `Bearer ${a.token}` },
    });
    const body = (await hist.json()) as Json;
    expect(body.messages.map((m: Json) => [m.seq, m.body])).toEqual([
      [1, 'first body'],
      [2, burst[0].body],
      [3, 'b uses the same id'],
    ]);
    const otherHist = await fetch(`${gw[1]}/api/rooms/${other.id}/messages`, {
      headers: { authorization: `Bearer ${a.token}` },
    });
    expect(((await otherHist.json()) as Json).messages).toEqual([]);
  });

  it('catch-up: after a disconnect, room:join {afterSeq} on the OTHER gateway returns exactly the missed messages', async () => {
    const [a, b] = await Promise.all([registerAndLogin(gw[0], 'catchA'), registerAndLogin(gw[1], 'catchB')]);
    const room = await createRoom(gw[0], a.token, 'catch-room');
    await joinHttp(gw[0], b.token, room.id);
    const a0 = await connectSocket(gw[0], a.token);
    let b0: Socket = await connectSocket(gw[0], b.token);
    const onB = collect(b0, 'message:new');
    for (let k = 1; k <= 3; k++) await send(a0, room.id, `before ${k}`);
    await onB.until((items) => items.length === 3);
    const lastSeen = Math.max(...onB.items.map((m) => m.seq));
    expect(lastSeen).toBe(3);
    b0.close();

    const missed: Json[] = [];
    for (let k = 1; k <= 5; k++) missed.push(await send(a0, room.id, `while away ${k}`));
    b0 = await connectSocket(gw[1], b.token);
    const ack = await join(b0, room.id, lastSeen);
    expect(ack).toEqual({ ok: true, room: expect.any(Object), missed: expect.any(Array), hasMore: false });
    expectRoom(ack.room, { id: room.id, lastSeq: 8 });
    expect(ack.missed).toEqual(missed);

    // Without afterSeq: no missed messages (history is paged over HTTP).
    const plain = await join(b0, room.id);
    expect(plain.missed).toEqual([]);
    // Up to date: nothing missed.
    expect((await join(b0, room.id, 8)).missed).toEqual([]);
  });

  it('catch-up caps at 200 messages with hasMore, then continues from the last one', async () => {
    const a = await registerAndLogin(gw[0], 'capA');
    const room = await createRoom(gw[0], a.token, 'cap-room');
    const a0 = await connectSocket(gw[0], a.token);
    const total = 201;
    for (let k = 0; k < total; k += 15) {
      await Promise.all(range(k + 1, Math.min(k + 15, total)).map((n) => send(a0, room.id, `n${n}`)));
    }
    const a1 = await connectSocket(gw[1], a.token);
    const first = await join(a1, room.id, 0);
    expect(first.hasMore).toBe(true);
    expect(first.missed.map((m: Json) => m.seq)).toEqual(range(1, 200));
    const rest = await join(a1, room.id, 200);
    expect(rest.hasMore).toBe(false);
    expect(rest.missed.map((m: Json) => m.seq)).toEqual(range(201, total));
    // Exactly 200 missed: all of them, and nothing more to page.
    const exact = await join(a1, room.id, total - 200);
    expect([exact.missed.length, exact.missed[0].seq, exact.hasMore]).toEqual([200, total - 199, false]);
  });

  it('a member added while connected receives the room events on the open sockets of both gateways', async () => {
    const [owner, guest] = await Promise.all([
      registerAndLogin(gw[0], 'addOwner'),
      registerAndLogin(gw[1], 'addGuest'),
    ]);
    const room = await createRoom(gw[0], owner.token, 'later-private', 'private');
    const [o0, g0, g1] = await Promise.all([
      connectSocket(gw[0], owner.token),
      connectSocket(gw[0], guest.token),
      connectSocket(gw[1], guest.token),
    ]);
    const seen = [g0, g1].map((s) => collect(s, 'message:new'));
    await send(o0, room.id, 'before the guest');
    const res = await fetch(`${gw[1]}/api/rooms/${room.id}/members`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username: guest.user.username }),
    });
    expect(res.status).toBe(200);
    expectRoom(((await res.json()) as Json).room, { id: room.id, kind: 'private', memberCount: 2 });
    await sleep(300); // the gateways learn about the new membership asynchronously
    const after = await send(o0, room.id, 'after the guest');
    for (const c of seen) await c.until((items) => items.length >= 1);
    await sleep(300);
    for (const c of seen) expect(c.items).toEqual([after]);
  });

  it('a DM or a private room created while the peer is connected reaches the peer at once, on both gateways', async () => {
    const [x, y] = await Promise.all([registerAndLogin(gw[0], 'liveX'), registerAndLogin(gw[1], 'liveY')]);
    const [x0, y0, y1] = await Promise.all([
      connectSocket(gw[0], x.token),
      connectSocket(gw[0], y.token),
      connectSocket(gw[1], y.token),
    ]);
    const seen = [y0, y1].map((s) => collect(s, 'message:new'));
    const dm = await fetch(`${gw[1]}/api/dm`, {
      method: 'POST',
      headers: { authorization: `Bearer ${x.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username: y.user.username }),
    });
    expect(dm.status).toBe(201);
    const dmRoom = ((await dm.json()) as Json).room;
    const priv = await createRoom(gw[1], x.token, 'live-private', 'private', [y.user.username]);
    const first = await send(x0, dmRoom.id, 'hello in the dm');
    const second = await send(x0, priv.id, 'hello in the private room');
    for (const c of seen) await c.until((items) => items.length >= 2);
    await sleep(300);
    for (const c of seen) expect(c.items).toEqual([first, second]);
    // The peer confirms membership over the socket and catches up from 0.
    const confirmed = await join(y1, dmRoom.id, 0);
    expect(confirmed.missed).toEqual([first]);
  });

  it('room:member joined/left reach members; after room:leave a socket gets no more message:new of that room', async () => {
    const [a, b] = await Promise.all([registerAndLogin(gw[0], 'memA'), registerAndLogin(gw[1], 'memB')]);
    const room = await createRoom(gw[0], a.token, 'member-events');
    const [a0, b1] = await Promise.all([connectSocket(gw[0], a.token), connectSocket(gw[1], b.token)]);
    const memberEvents = collect(a0, 'room:member');
    const onB = collect(b1, 'message:new');
    const joined = await join(b1, room.id);
    expectRoom(joined.room, { id: room.id, memberCount: 2 });
    await memberEvents.until((items) => items.length >= 1);
    expect(memberEvents.items[0]).toEqual({ roomId: room.id, user: b.user, change: 'joined' });

    // Joining over HTTP is announced the same way.
    const c = await registerAndLogin(gw[1], 'memC');
    await joinHttp(gw[1], c.token, room.id);
    await memberEvents.until((items) => items.length >= 2);
    expect(memberEvents.items[1]).toEqual({ roomId: room.id, user: c.user, change: 'joined' });

    await send(a0, room.id, 'b is here');
    await onB.until((items) => items.length === 1);
    expect(await emitAck(b1, 'room:leave', { roomId: room.id })).toEqual({ ok: true });
    await memberEvents.until((items) => items.length >= 3);
    expect(memberEvents.items[2]).toEqual({ roomId: room.id, user: b.user, change: 'left' });
    await send(a0, room.id, 'b has gone');
    await sleep(500);
    expect(onB.items.map((m) => m.body)).toEqual(['b is here']);
  });

  it('a non-member socket does not receive public-room messages until it joins', async () => {
    const [a, b]: Session[] = await Promise.all([registerAndLogin(gw[0], 'pubA'), registerAndLogin(gw[1], 'pubB')]);
    const room = await createRoom(gw[0], a.token, 'pub-quiet');
    const [a0, b1] = await Promise.all([connectSocket(gw[0], a.token), connectSocket(gw[1], b.token)]);
    const onB = collect(b1, 'message:new');
    await send(a0, room.id, 'not for b yet');
    await sleep(400);
    expect(onB.items).toEqual([]);
    await join(b1, room.id);
    const m = await send(a0, room.id, 'now b is in');
    await onB.until((items) => items.length === 1);
    expect(onB.items).toEqual([m]);
    expectAckError(await emitAck(b1, 'room:leave', { roomId: 'no-such-room' }), 'NOT_FOUND');
  });
});
