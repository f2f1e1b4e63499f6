import 'reflect-metadata';
import { ChatSubject, ErrorCode, EventSubject, MessageView, RoomEvent } from '@app/contracts';
import { DomainError } from '@app/errors';
import { sendKeyOf } from '../src/message/message-id';
import { MessageServiceFixture, aUser } from './message-service.fixture';

jest.setTimeout(90_000);

/** Two message-service instances on one database, as in production. */
describe('message service: seqs and idempotency across instances', () => {
  const fx = new MessageServiceFixture();
  const alice = aUser('alice');
  const bob = aUser('bob');

  beforeAll(() => fx.start(2));
  afterAll(() => fx.stop());

  it('creates the general room exactly once although both instances booted on the same database', async () => {
    const { rooms } = await fx.request(ChatSubject.ListRooms, { actor: alice });
    expect(rooms.filter((r) => r.name === 'general')).toEqual([
      expect.objectContaining({ kind: 'public', memberCount: 0, lastSeq: 0 }),
    ]);
    expect(await fx.db.collection('rooms').countDocuments({ key: 'general' })).toBe(1);
  });

  it('gives 200 concurrent sends over both instances the seqs 1..200, without gap or repeat', async () => {
    const { room } = await fx.request(ChatSubject.CreateRoom, {
      actor: alice,
      name: 'busy',
      kind: 'public',
      members: [bob],
    });
    const events = fx.record<RoomEvent>(EventSubject.room(room.id));
    await fx.nc.flush();
    const n = 200;
    const replies = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        fx.request(ChatSubject.SendMessage, {
          actor: i % 2 ? alice : bob,
          roomId: room.id,
          clientMsgId: `burst-${i}`,
          body: `message ${i}`,
        }),
      ),
    );
    const seqs = replies.map((r) => r.message.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: n }, (_, i) => i + 1));

    const stored = await fx.db.collection('messages').find({ roomId: room.id }).project({ seq: 1, _id: 0 }).toArray();
    expect(stored.map((m) => m.seq as number).sort((a, b) => a - b)).toEqual(seqs);

    // Every reply is the stored message: same seq for the same clientMsgId in history.
    const bySeq = new Map(replies.map((r) => [r.message.seq, r.message.clientMsgId]));
    const history = await fx.request(ChatSubject.History, { actor: bob, roomId: room.id, limit: 100 });
    for (const m of history.messages) expect(bySeq.get(m.seq)).toBe(m.clientMsgId);

    const listed = await fx.request(ChatSubject.ListRooms, { actor: alice, memberOnly: true });
    expect(listed.rooms.find((r) => r.id === room.id)?.lastSeq).toBe(n);

    await events.waitFor(() => events.events.filter((e) => e.type === 'message.new').length >= n);
    const announced = events.events.flatMap((e) => (e.type === 'message.new' ? [e.message.seq] : []));
    expect(announced.sort((a, b) => a - b)).toEqual(seqs);
    events.close();

    // One more makes 201: a catch-up from 0 stops at 200 and says more exist.
    await fx.request(ChatSubject.SendMessage, { actor: alice, roomId: room.id, clientMsgId: 'burst-last', body: 'x' });
    const join = await fx.request(ChatSubject.JoinRoom, { actor: bob, roomId: room.id, afterSeq: 0 });
    expect(join.missed.map((m) => m.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(join.hasMore).toBe(true);
    expect(join.room.lastSeq).toBe(n + 1);
  });

  it('answers a retry, even with another body and in another room, with the first stored message', async () => {
    const { room: first } = await fx.request(ChatSubject.CreateRoom, {
      actor: alice,
      name: 'a',
      kind: 'private',
      members: [],
    });
    const { room: second } = await fx.request(ChatSubject.CreateRoom, {
      actor: alice,
      name: 'b',
      kind: 'public',
      members: [],
    });
    const original = await fx.request(ChatSubject.SendMessage, {
      actor: alice,
      roomId: first.id,
      clientMsgId: 'retry-1',
      body: 'first body',
    });
    const sameRoom = await fx.request(ChatSubject.SendMessage, {
      actor: alice,
      roomId: first.id,
      clientMsgId: 'retry-1',
      body: 'second body',
    });
    const otherRoom = await fx.request(ChatSubject.SendMessage, {
      actor: alice,
      roomId: second.id,
      clientMsgId: 'retry-1',
      body: 'third body',
    });
    expect(sameRoom.message).toEqual(original.message);
    expect(otherRoom.message).toEqual(original.message);
    expect(original.message).toMatchObject({ roomId: first.id, seq: 1, body: 'first body', attachments: [] });
    expect(await fx.db.collection('messages').countDocuments({ 'author.id': alice.id, clientMsgId: 'retry-1' })).toBe(
      1,
    );
    expect(await fx.db.collection('messages').countDocuments({ roomId: second.id })).toBe(0);

    // Another user may use the same clientMsgId: the key is (user, clientMsgId).
    const fromBob = await fx.request(ChatSubject.SendMessage, {
      actor: bob,
      roomId: second.id,
      clientMsgId: 'retry-1',
      body: 'bob',
    });
    expect(fromBob.message.id).not.toBe(original.message.id);
    expect(fromBob.message.seq).toBe(1);
  });

  it('stores concurrent identical retries once and spends one seq on them', async () => {
    const { room } = await fx.request(ChatSubject.CreateRoom, { actor: alice, name: 'c', kind: 'public', members: [] });
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        fx.request(ChatSubject.SendMessage, { actor: alice, roomId: room.id, clientMsgId: 'dup', body: `try ${i}` }),
      ),
    );
    const ids = new Set(replies.map((r) => r.message.id));
    expect(ids.size).toBe(1);
    expect(replies[0].message.seq).toBe(1);
    const next = await fx.request(ChatSubject.SendMessage, {
      actor: alice,
      roomId: room.id,
      clientMsgId: 'n',
      body: 'n',
    });
    expect(next.message.seq).toBe(2);
    expect(await fx.db.collection('messages').countDocuments({ roomId: room.id })).toBe(2);
  });

  it('opens one direct room for two users opening it at the same time from both sides', async () => {
    const carol = aUser('carol');
    const dave = aUser('dave');
    const replies = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        fx.request(ChatSubject.OpenDirect, i % 2 ? { actor: carol, peer: dave } : { actor: dave, peer: carol }),
      ),
    );
    expect(new Set(replies.map((r) => r.room.id)).size).toBe(1);
    expect(replies.filter((r) => r.created)).toHaveLength(1);
    expect(await fx.db.collection('rooms').countDocuments({ kind: 'direct', 'participants.id': carol.id })).toBe(1);
    const got = await fx.request(ChatSubject.GetRoom, { actor: carol, roomId: replies[0].room.id });
    expect(got.members.map((m) => m.id).sort()).toEqual([carol.id, dave.id].sort());
    expect(got.room.memberCount).toBe(2);
  });

  it('continues the sequence without a gap after an instance is killed', async () => {
    const { room } = await fx.request(ChatSubject.CreateRoom, { actor: alice, name: 'k', kind: 'public', members: [] });
    const send = (i: number) =>
      fx.request(ChatSubject.SendMessage, { actor: alice, roomId: room.id, clientMsgId: `kill-${i}`, body: `${i}` });
    await Promise.all(Array.from({ length: 20 }, (_, i) => send(i)));
    await fx.apps[0].kill();
    // A request NATS routed to the dead instance in the instant before the server dropped its
    // subscription times out as UNAVAILABLE; a client retries the same clientMsgId, as here.
    const sendOrRetry = async (i: number): Promise<MessageView> => {
      try {
        return (await send(i)).message;
      } catch (err) {
        if (!(err instanceof DomainError) || err.code !== ErrorCode.UNAVAILABLE) throw err;
        return (await send(i)).message;
      }
    };
    const after: MessageView[] = [];
    for (let i = 20; i < 30; i++) after.push(await sendOrRetry(i));
    const history = await fx.request(ChatSubject.History, { actor: alice, roomId: room.id, limit: 100 });
    expect(history.messages.map((m) => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(after.map((m) => m.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 21));
  });

  it('counts members exactly after many concurrent joins over both instances', async () => {
    const { room } = await fx.request(ChatSubject.CreateRoom, {
      actor: alice,
      name: 'crowd',
      kind: 'public',
      members: [],
    });
    const crowd = Array.from({ length: 30 }, (_, i) => aUser(`c${i}`));
    await Promise.all(
      crowd.map((user, i) =>
        i % 2
          ? fx.request(ChatSubject.JoinRoom, { actor: user, roomId: room.id })
          : fx.request(ChatSubject.SendMessage, { actor: user, roomId: room.id, clientMsgId: 'hi', body: 'hi' }),
      ),
    );
    const listed = await fx.request(ChatSubject.ListRooms, { actor: alice });
    expect(listed.rooms.find((r) => r.id === room.id)).toMatchObject({ memberCount: 31, lastSeq: 15 });
    const got = await fx.request(ChatSubject.GetRoom, { actor: alice, roomId: room.id });
    expect(got.members).toHaveLength(31);
    expect(got.room.memberCount).toBe(31);
  });

  it('after a writer died, finds a send it stored, takes over one it only claimed, and keeps lastSeq true', async () => {
    const { room } = await fx.request(ChatSubject.CreateRoom, {
      actor: bob,
      name: 'crash',
      kind: 'public',
      members: [],
    });
    const first = await fx.request(ChatSubject.SendMessage, {
      actor: bob,
      roomId: room.id,
      clientMsgId: 'z1',
      body: 'a',
    });
    await fx.request(ChatSubject.SendMessage, { actor: bob, roomId: room.id, clientMsgId: 'z2', body: 'b' });
    await fx.db.collection('rooms').updateOne({ _id: room.id as never }, { $set: { lastSeq: 0 } });
    // Killed after its insert, before its ack: the key (written first) says where the message is.
    const retry = await fx.request(ChatSubject.SendMessage, {
      actor: bob,
      roomId: room.id,
      clientMsgId: 'z1',
      body: 'c',
    });
    expect(retry.message).toEqual(first.message);
    // Killed after claiming "z3" for seq 3, before its insert, long enough ago for the lease to be over.
    const key = sendKeyOf(bob.id, 'z3');
    const seq3 = `${room.id}:3`;
    await fx.db.collection('send_keys').insertOne({
      _id: key as never,
      messageId: seq3,
      tried: [seq3],
      owner: 'a writer that died',
      at: new Date(Date.now() - 60_000),
    });
    const taken = await fx.request(ChatSubject.SendMessage, {
      actor: bob,
      roomId: room.id,
      clientMsgId: 'z3',
      body: 'd',
    });
    expect(taken.message).toMatchObject({ seq: 3, body: 'd' });
    expect(await fx.db.collection('messages').countDocuments({ roomId: room.id })).toBe(3);
    expect(await fx.db.collection('send_keys').findOne({ _id: key as never })).toMatchObject({ messageId: seq3 });
    const listed = await fx.request(ChatSubject.ListRooms, { actor: bob, memberOnly: true });
    expect(listed.rooms.find((r) => r.id === room.id)?.lastSeq).toBe(3);
    const next = await fx.request(ChatSubject.SendMessage, {
      actor: bob,
      roomId: room.id,
      clientMsgId: 'z4',
      body: 'e',
    });
    expect(next.message.seq).toBe(4);
  });

  it('refuses a member who left at once on every instance, though both held the membership', async () => {
    const { room } = await fx.request(ChatSubject.CreateRoom, {
      actor: bob,
      name: 'leaving',
      kind: 'private',
      members: [],
    });
    await fx.request(ChatSubject.AddMember, { actor: bob, roomId: room.id, member: alice });
    // Enough sends that both instances (one queue group) have read and hold alice's membership.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fx.request(ChatSubject.SendMessage, { actor: alice, roomId: room.id, clientMsgId: `warm-${i}`, body: 'hi' }),
      ),
    );
    await fx.request(ChatSubject.LeaveRoom, { actor: alice, roomId: room.id });
    const codes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fx.codeOf(ChatSubject.SendMessage, { actor: alice, roomId: room.id, clientMsgId: `after-${i}`, body: 'x' }),
      ),
    );
    expect(codes).toEqual(Array.from({ length: 20 }, () => ErrorCode.FORBIDDEN));
    expect(await fx.codeOf(ChatSubject.History, { actor: alice, roomId: room.id, limit: 5 })).toBe(ErrorCode.FORBIDDEN);
  });
});
