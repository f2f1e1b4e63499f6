import 'reflect-metadata';
import { ChatSubject, ErrorCode, EventSubject, RoomEvent, RoomView, UserEvent } from '@app/contracts';
import { MessageServiceFixture, aUser } from './message-service.fixture';

jest.setTimeout(60_000);

describe('message service: rooms, membership and access', () => {
  const fx = new MessageServiceFixture();
  const alice = aUser('alice');
  const bob = aUser('bob');
  const carol = aUser('carol');
  let secret: RoomView;
  let dm: RoomView;

  beforeAll(async () => {
    await fx.start(1);
    secret = (
      await fx.request(ChatSubject.CreateRoom, { actor: alice, name: '  secret  ', kind: 'private', members: [] })
    ).room;
    dm = (await fx.request(ChatSubject.OpenDirect, { actor: alice, peer: carol })).room;
    await fx.request(ChatSubject.SendMessage, { actor: alice, roomId: secret.id, clientMsgId: 's1', body: 'hush' });
    await fx.request(ChatSubject.SendMessage, { actor: alice, roomId: dm.id, clientMsgId: 'd1', body: 'hi carol' });
  });
  afterAll(() => fx.stop());

  it('answers FORBIDDEN to a non-member on every path into a private or direct room', async () => {
    for (const roomId of [secret.id, dm.id]) {
      expect(await fx.codeOf(ChatSubject.GetRoom, { actor: bob, roomId })).toBe(ErrorCode.FORBIDDEN);
      expect(await fx.codeOf(ChatSubject.History, { actor: bob, roomId, limit: 10 })).toBe(ErrorCode.FORBIDDEN);
      expect(await fx.codeOf(ChatSubject.JoinRoom, { actor: bob, roomId, afterSeq: 0 })).toBe(ErrorCode.FORBIDDEN);
      expect(
        await fx.codeOf(ChatSubject.SendMessage, { actor: bob, roomId, clientMsgId: `x-${roomId}`, body: 'let me in' }),
      ).toBe(ErrorCode.FORBIDDEN);
      expect(await fx.codeOf(ChatSubject.AddMember, { actor: bob, roomId, member: bob })).toBe(ErrorCode.FORBIDDEN);
    }
    expect(await fx.db.collection('memberships').countDocuments({ userId: bob.id })).toBe(0);
    expect(await fx.db.collection('messages').countDocuments({ 'author.id': bob.id })).toBe(0);
    const { rooms } = await fx.request(ChatSubject.ListRooms, { actor: bob });
    expect(rooms.map((r) => r.id)).not.toContain(secret.id);
    expect(rooms.map((r) => r.id)).not.toContain(dm.id);
  });

  it('answers NOT_FOUND (or VALIDATION_FAILED for oversized ids) to ids that name nothing, never INTERNAL', async () => {
    const weird = [
      '../x',
      '{"$gt":""}',
      '{}',
      'general',
      '00000000-0000-0000-0000-000000000000',
      '$where',
      'a.b',
      ' ',
      '%00',
    ];
    for (const roomId of weird) {
      for (const [subject, extra] of [
        [ChatSubject.GetRoom, {}],
        [ChatSubject.History, { limit: 5 }],
        [ChatSubject.JoinRoom, {}],
        [ChatSubject.LeaveRoom, {}],
        [ChatSubject.AddMember, { member: bob }],
        [ChatSubject.SendMessage, { clientMsgId: 'w', body: 'w' }],
      ] as const) {
        expect([subject, roomId, await fx.codeOf(subject, { actor: alice, roomId, ...extra })]).toEqual([
          subject,
          roomId,
          ErrorCode.NOT_FOUND,
        ]);
      }
    }
    for (const roomId of ['x'.repeat(1000), '', 42, null, { $gt: '' }]) {
      expect([ErrorCode.VALIDATION_FAILED, ErrorCode.NOT_FOUND]).toContain(
        await fx.codeOf(ChatSubject.GetRoom, { actor: alice, roomId }),
      );
    }
  });

  it('lets a member add someone to a private room, who then hears room.added and may read', async () => {
    const bobEvents = fx.record<UserEvent>(EventSubject.user(bob.id));
    const roomEvents = fx.record<RoomEvent>(EventSubject.room(secret.id));
    await fx.nc.flush();
    const { room } = await fx.request(ChatSubject.AddMember, { actor: alice, roomId: secret.id, member: bob });
    expect(room).toMatchObject({ id: secret.id, name: 'secret', kind: 'private', memberCount: 2, lastSeq: 1 });
    await bobEvents.waitFor((e) => e.type === 'room.added' && e.room.id === secret.id);
    await roomEvents.waitFor(
      (e) => e.type === 'member.changed' && e.change === 'joined' && e.user.id === bob.id && e.roomId === secret.id,
    );
    const history = await fx.request(ChatSubject.History, { actor: bob, roomId: secret.id, limit: 10 });
    expect(history.messages.map((m) => m.body)).toEqual(['hush']);
    const got = await fx.request(ChatSubject.GetRoom, { actor: bob, roomId: secret.id });
    expect(got.members).toEqual([
      { id: alice.id, username: alice.username },
      { id: bob.id, username: bob.username },
    ]);

    // Adding again changes nothing and announces nothing.
    const again = await fx.request(ChatSubject.AddMember, { actor: bob, roomId: secret.id, member: alice });
    expect(again.room.memberCount).toBe(2);
    bobEvents.close();
    roomEvents.close();
  });

  it('leaves idempotently, announcing room.removed and member.changed once', async () => {
    const { room } = await fx.request(ChatSubject.CreateRoom, {
      actor: alice,
      name: 'lv',
      kind: 'private',
      members: [bob],
    });
    const bobEvents = fx.record<UserEvent>(EventSubject.user(bob.id));
    const roomEvents = fx.record<RoomEvent>(EventSubject.room(room.id));
    await fx.nc.flush();
    expect(await fx.request(ChatSubject.LeaveRoom, { actor: bob, roomId: room.id })).toEqual({});
    expect(await fx.request(ChatSubject.LeaveRoom, { actor: bob, roomId: room.id })).toEqual({});
    await bobEvents.waitFor((e) => e.type === 'room.removed' && e.roomId === room.id);
    await roomEvents.waitFor((e) => e.type === 'member.changed' && e.change === 'left' && e.user.id === bob.id);
    await fx.nc.flush();
    expect(roomEvents.events.filter((e) => e.type === 'member.changed')).toHaveLength(1);
    expect(await fx.codeOf(ChatSubject.History, { actor: bob, roomId: room.id, limit: 5 })).toBe(ErrorCode.FORBIDDEN);
    expect((await fx.request(ChatSubject.GetRoom, { actor: alice, roomId: room.id })).room.memberCount).toBe(1);
    bobEvents.close();
    roomEvents.close();
  });

  it('opens the same direct room from either side, named after the other user, and keeps it closed', async () => {
    const fromCarol = await fx.request(ChatSubject.OpenDirect, { actor: carol, peer: alice });
    expect(fromCarol.created).toBe(false);
    expect(fromCarol.room).toEqual({ ...dm, name: alice.username, lastSeq: 1 });
    expect(dm).toMatchObject({ name: carol.username, kind: 'direct', memberCount: 2 });
    const listed = await fx.request(ChatSubject.ListRooms, { actor: carol, memberOnly: true });
    expect(listed.rooms).toEqual([expect.objectContaining({ id: dm.id, name: alice.username, lastSeq: 1 })]);

    expect(await fx.codeOf(ChatSubject.OpenDirect, { actor: alice, peer: alice })).toBe(ErrorCode.VALIDATION_FAILED);
    expect(await fx.codeOf(ChatSubject.AddMember, { actor: alice, roomId: dm.id, member: bob })).toBe(
      ErrorCode.FORBIDDEN,
    );
    expect(await fx.codeOf(ChatSubject.LeaveRoom, { actor: alice, roomId: dm.id })).toBe(ErrorCode.VALIDATION_FAILED);
    expect(await fx.db.collection('memberships').countDocuments({ roomId: dm.id })).toBe(2);
  });

  it('announces a new direct room to both users', async () => {
    const dave = aUser('dave');
    const events = [fx.record<UserEvent>(EventSubject.user(dave.id)), fx.record<UserEvent>(EventSubject.user(bob.id))];
    await fx.nc.flush();
    const { room, created } = await fx.request(ChatSubject.OpenDirect, { actor: dave, peer: bob });
    expect(created).toBe(true);
    const toDave = await events[0].waitFor((e) => e.type === 'room.added' && e.room.id === room.id);
    const toBob = await events[1].waitFor((e) => e.type === 'room.added' && e.room.id === room.id);
    expect(toDave).toMatchObject({ room: { name: bob.username, kind: 'direct' } });
    expect(toBob).toMatchObject({ room: { name: dave.username, kind: 'direct' } });
    events.forEach((e) => e.close());
  });

  it('creates a room with its creator as owner and the listed members, each told with room.added', async () => {
    const events = fx.record<UserEvent>(EventSubject.user(carol.id));
    await fx.nc.flush();
    const { room } = await fx.request(ChatSubject.CreateRoom, {
      actor: alice,
      name: 'team',
      kind: 'private',
      members: [carol, bob, carol, alice],
    });
    expect(room).toMatchObject({ name: 'team', kind: 'private', memberCount: 3, lastSeq: 0 });
    await events.waitFor((e) => e.type === 'room.added' && e.room.id === room.id && e.room.memberCount === 3);
    const roles = await fx.db.collection('memberships').find({ roomId: room.id }).toArray();
    expect(Object.fromEntries(roles.map((m) => [m.userId, m.role]))).toEqual({
      [alice.id]: 'owner',
      [bob.id]: 'member',
      [carol.id]: 'member',
    });
    events.close();
  });

  it('lets anyone read and join a public room; posting there joins the poster first, then announces the message', async () => {
    const { room } = await fx.request(ChatSubject.CreateRoom, {
      actor: alice,
      name: 'open',
      kind: 'public',
      members: [],
    });
    const erin = aUser('erin');
    expect((await fx.request(ChatSubject.History, { actor: erin, roomId: room.id, limit: 5 })).messages).toEqual([]);
    expect((await fx.request(ChatSubject.GetRoom, { actor: erin, roomId: room.id })).members).toHaveLength(1);
    const listed = await fx.request(ChatSubject.ListRooms, { actor: erin });
    expect(listed.rooms.map((r) => r.name)).toEqual(expect.arrayContaining(['general', 'open']));
    expect((await fx.request(ChatSubject.ListRooms, { actor: erin, memberOnly: true })).rooms).toEqual([]);

    const roomEvents = fx.record<RoomEvent>(EventSubject.room(room.id));
    const userEvents = fx.record<UserEvent>(EventSubject.user(erin.id));
    await fx.nc.flush();
    const { message } = await fx.request(ChatSubject.SendMessage, {
      actor: erin,
      roomId: room.id,
      clientMsgId: 'hello-1',
      body: '  hello <b>world</b>  ',
    });
    expect(message).toMatchObject({
      roomId: room.id,
      seq: 1,
      author: erin,
      body: '  hello <b>world</b>  ',
      attachments: [],
      clientMsgId: 'hello-1',
    });
    expect(new Date(message.createdAt).toISOString()).toBe(message.createdAt);
    const heard = await roomEvents.waitFor((e) => e.type === 'message.new');
    expect(heard).toEqual({ type: 'message.new', message, roomKind: 'public' });
    const joinedAt = roomEvents.events.findIndex((e) => e.type === 'member.changed' && e.user.id === erin.id);
    expect(joinedAt).toBeGreaterThanOrEqual(0);
    expect(joinedAt).toBeLessThan(roomEvents.events.indexOf(heard));
    await userEvents.waitFor((e) => e.type === 'room.added' && e.room.id === room.id);

    const mine = await fx.request(ChatSubject.ListRooms, { actor: erin, memberOnly: true });
    expect(mine.rooms).toEqual([
      { id: room.id, name: 'open', kind: 'public', memberCount: 2, lastSeq: 1, unread: 1, unreadMentions: 0 },
    ]);
    roomEvents.close();
    userEvents.close();
  });

  it('joins a public room once and confirms a private membership on join', async () => {
    const frank = aUser('frank');
    const general = (await fx.request(ChatSubject.ListRooms, { actor: frank })).rooms.find(
      (r) => r.name === 'general',
    )!;
    const first = await fx.request(ChatSubject.JoinRoom, { actor: frank, roomId: general.id });
    const second = await fx.request(ChatSubject.JoinRoom, { actor: frank, roomId: general.id });
    expect(first).toEqual({ room: expect.objectContaining({ id: general.id }), missed: [], hasMore: false });
    expect(second.room.memberCount).toBe(first.room.memberCount);
    expect(await fx.db.collection('memberships').countDocuments({ roomId: general.id, userId: frank.id })).toBe(1);
    const joined = await fx.request(ChatSubject.JoinRoom, { actor: alice, roomId: secret.id, afterSeq: 0 });
    expect(joined.missed.map((m) => m.body)).toEqual(['hush']);
  });
});
