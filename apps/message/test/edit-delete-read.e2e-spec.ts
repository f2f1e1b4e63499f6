import 'reflect-metadata';
import { ChatSubject, ErrorCode, EventSubject, MessageView, RoomEvent, RoomView } from '@app/contracts';
import { MessageServiceFixture, aUser } from './message-service.fixture';

jest.setTimeout(60_000);

describe('message service: edit, delete, read pointers', () => {
  const fx = new MessageServiceFixture();
  const owner = aUser('owner');
  const bob = aUser('bob');
  const carol = aUser('carol');
  let room: RoomView;
  let n = 0;

  const send = async (actor = bob, body = 'hello'): Promise<MessageView> =>
    (await fx.request(ChatSubject.SendMessage, { actor, roomId: room.id, clientMsgId: `c${++n}`, body })).message;

  beforeAll(async () => {
    await fx.start(1);
    room = (await fx.request(ChatSubject.CreateRoom, { actor: owner, name: 'team', kind: 'private', members: [bob] }))
      .room;
  });
  afterAll(() => fx.stop());

  it('lets only the author edit, stores editedAt, and announces the full message', async () => {
    const events = fx.record<RoomEvent>(EventSubject.room(room.id));
    const sent = await send(bob, 'first');
    expect(await fx.codeOf(ChatSubject.EditMessage, { actor: owner, messageId: sent.id, body: 'x' })).toBe(
      ErrorCode.FORBIDDEN,
    );
    const { message } = await fx.request(ChatSubject.EditMessage, { actor: bob, messageId: sent.id, body: 'second' });
    expect(message).toMatchObject({ id: sent.id, seq: sent.seq, body: 'second', clientMsgId: sent.clientMsgId });
    expect(Date.parse(message.editedAt!)).toBeGreaterThanOrEqual(Date.parse(sent.createdAt));
    const event = await events.waitFor((e) => e.type === 'message.updated');
    expect(event).toEqual({ type: 'message.updated', message });
    const { messages } = await fx.request(ChatSubject.History, { actor: bob, roomId: room.id, limit: 100 });
    expect(messages.find((m) => m.seq === sent.seq)).toEqual(message);
    events.close();
  });

  it('refuses bad bodies, unknown ids and outsiders with the contract codes', async () => {
    const sent = await send();
    for (const body of ['', '   ', 'x'.repeat(4001)]) {
      expect(await fx.codeOf(ChatSubject.EditMessage, { actor: bob, messageId: sent.id, body })).toBe(
        ErrorCode.VALIDATION_FAILED,
      );
    }
    for (const messageId of [`${room.id}:999`, `${room.id}:0`, 'nope', `nope:1`, `${room.id}:1x`]) {
      expect(await fx.codeOf(ChatSubject.EditMessage, { actor: bob, messageId, body: 'x' })).toBe(ErrorCode.NOT_FOUND);
      expect(await fx.codeOf(ChatSubject.DeleteMessage, { actor: bob, messageId })).toBe(ErrorCode.NOT_FOUND);
    }
    expect(await fx.codeOf(ChatSubject.DeleteMessage, { actor: carol, messageId: sent.id })).toBe(ErrorCode.FORBIDDEN);
    expect(await fx.codeOf(ChatSubject.MarkRead, { actor: carol, roomId: room.id, seq: 1 })).toBe(ErrorCode.FORBIDDEN);
  });

  it('deletes as author or owner into a tombstone that keeps its seq, idempotently', async () => {
    const events = fx.record<RoomEvent>(EventSubject.room(room.id));
    const byBob = await send(bob, 'secret one');
    const byOwner = await send(owner, 'secret two');
    expect(await fx.codeOf(ChatSubject.DeleteMessage, { actor: bob, messageId: byOwner.id })).toBe(ErrorCode.FORBIDDEN);
    await fx.request(ChatSubject.DeleteMessage, { actor: owner, messageId: byBob.id });
    await fx.request(ChatSubject.DeleteMessage, { actor: owner, messageId: byBob.id });
    await fx.request(ChatSubject.DeleteMessage, { actor: owner, messageId: byOwner.id });
    await events.waitFor((e) => e.type === 'message.deleted' && e.seq === byOwner.seq);
    const deleted = events.events.filter((e) => e.type === 'message.deleted');
    expect(deleted).toEqual([
      { type: 'message.deleted', id: byBob.id, roomId: room.id, seq: byBob.seq },
      { type: 'message.deleted', id: byOwner.id, roomId: room.id, seq: byOwner.seq },
    ]);
    const { messages } = await fx.request(ChatSubject.History, { actor: bob, roomId: room.id, limit: 100 });
    expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
    expect(messages.find((m) => m.seq === byBob.seq)).toMatchObject({ id: byBob.id, body: '', deleted: true });
    const stored = await fx.db.collection('messages').findOne({ _id: byBob.id as never });
    expect(stored?.body).toBe('');
    expect(await fx.codeOf(ChatSubject.EditMessage, { actor: bob, messageId: byBob.id, body: 'back' })).toBe(
      ErrorCode.NOT_FOUND,
    );
    const { missed } = await fx.request(ChatSubject.JoinRoom, { actor: bob, roomId: room.id, afterSeq: byBob.seq - 1 });
    expect(missed[0]).toMatchObject({ seq: byBob.seq, body: '', deleted: true });
    events.close();
  });

  it("starts a newcomer's read pointer at the room's last seq: history from before they came is not unread", async () => {
    const open = (
      await fx.request(ChatSubject.CreateRoom, { actor: owner, name: 'lobby', kind: 'public', members: [] })
    ).room;
    for (const body of ['one', 'two']) {
      await fx.request(ChatSubject.SendMessage, { actor: owner, roomId: open.id, clientMsgId: `lobby-${body}`, body });
    }
    const dave = aUser('dave');
    const joined = await fx.request(ChatSubject.JoinRoom, { actor: dave, roomId: open.id });
    expect(joined.room).toMatchObject({ lastSeq: 2, unread: 0 });
    await fx.request(ChatSubject.SendMessage, {
      actor: owner,
      roomId: open.id,
      clientMsgId: 'lobby-three',
      body: 'three',
    });
    const listed = (await fx.request(ChatSubject.ListRooms, { actor: dave, memberOnly: true })).rooms;
    expect(listed.find((r) => r.id === open.id)).toMatchObject({ lastSeq: 3, unread: 1 });
  });

  it('moves read pointers forward only, clamps past the end, and shows unread in room views', async () => {
    const events = fx.record<RoomEvent>(EventSubject.room(room.id));
    const last = await send(owner, 'latest');
    const unreadOf = async () =>
      (await fx.request(ChatSubject.ListRooms, { actor: bob })).rooms.find((r) => r.id === room.id)!.unread;
    expect(await unreadOf()).toBe(last.seq);
    expect(await fx.request(ChatSubject.MarkRead, { actor: bob, roomId: room.id, seq: 2 })).toEqual({ seq: 2 });
    expect(await unreadOf()).toBe(last.seq - 2);
    expect(await fx.request(ChatSubject.MarkRead, { actor: bob, roomId: room.id, seq: 1 })).toEqual({ seq: 2 });
    expect(await fx.request(ChatSubject.MarkRead, { actor: bob, roomId: room.id, seq: 10_000 })).toEqual({
      seq: last.seq,
    });
    expect(await unreadOf()).toBe(0);
    expect((await fx.request(ChatSubject.GetRoom, { actor: bob, roomId: room.id })).room.unread).toBe(0);
    await events.waitFor((e) => e.type === 'room.read' && e.seq === last.seq);
    const reads = events.events.filter((e) => e.type === 'room.read');
    expect(reads).toEqual([
      { type: 'room.read', roomId: room.id, user: bob, seq: 2 },
      { type: 'room.read', roomId: room.id, user: bob, seq: last.seq },
    ]);
    expect(await fx.codeOf(ChatSubject.MarkRead, { actor: bob, roomId: room.id, seq: -1 })).toBe(
      ErrorCode.VALIDATION_FAILED,
    );
    expect(await fx.codeOf(ChatSubject.MarkRead, { actor: bob, roomId: 'nope', seq: 1 })).toBe(ErrorCode.NOT_FOUND);
    events.close();
  });
});
