import 'reflect-metadata';
import { ChatSubject } from '@app/contracts';
import { mongo } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { MessageServiceFixture, aUser } from './message-service.fixture';

jest.setTimeout(60_000);

/**
 * A store written by the version before room and member lists (memberships found by scans, member
 * counts as hints, read pointers on the memberships) opens: lists, counts, read pointers and the
 * public directory are built from it, and the indexes no lookup uses are dropped.
 */
describe('message service on a store of the previous layout', () => {
  const fx = new MessageServiceFixture();
  const [alice, bob, carol] = [aUser('alice'), aUser('bob'), aUser('carol')];
  const [lobby, secret, general] = [randomUUID(), randomUUID(), randomUUID()];

  beforeAll(async () => {
    const client = await mongo.MongoClient.connect(fx.mongoUrl);
    try {
      const db = client.db();
      await db.collection('memberships').createIndex({ roomId: 1, userId: 1 }, { unique: true });
      await db.collection('memberships').createIndex({ userId: 1 });
      await db.collection('messages').createIndex({ roomId: 1, seq: 1 }, { unique: true });
      await db.collection('rooms').createIndex({ key: 1 }, { unique: true });
      await db.collection('rooms').createIndex({ kind: 1 });
      const room = (id: string, key: string, name: string, kind: string, memberCount: number, ago: number) => ({
        _id: id as never,
        key,
        name,
        kind,
        memberCount, // a hint: wrong on purpose
        lastSeq: 1,
        createdBy: alice.id,
        createdAt: new Date(Date.now() - ago),
      });
      await db
        .collection('rooms')
        .insertMany([
          room(general, 'general', 'general', 'public', 0, 30_000),
          room(lobby, lobby, 'lobby', 'public', 7, 20_000),
          room(secret, secret, 'secret', 'private', 1, 10_000),
        ]);
      const membership = (roomId: string, user: typeof alice, role: string, lastReadSeq: number) => ({
        _id: `${roomId}:${user.id}` as never,
        roomId,
        userId: user.id,
        username: user.username,
        role,
        joinedAt: new Date(),
        lastReadSeq,
      });
      await db
        .collection('memberships')
        .insertMany([
          membership(lobby, alice, 'owner', 1),
          membership(lobby, bob, 'member', 0),
          membership(secret, alice, 'owner', 0),
          membership(secret, carol, 'member', 2),
        ]);
      const message = (roomId: string, seq: number) => ({
        _id: `${roomId}:${seq}` as never,
        roomId,
        seq,
        author: { id: alice.id, username: alice.username },
        body: `m${seq}`,
        clientMsgId: `${roomId.slice(0, 8)}-${seq}`,
        createdAt: new Date(),
      });
      await db
        .collection('messages')
        .insertMany([message(lobby, 1), message(lobby, 2), message(lobby, 3), message(secret, 1), message(secret, 2)]);
    } finally {
      await client.close();
    }
    await fx.start(2);
  });
  afterAll(() => fx.stop());

  it("lists each user's rooms with exact counts and their read pointers", async () => {
    const { rooms } = await fx.request(ChatSubject.ListRooms, { actor: alice });
    expect(rooms.map((r) => r.name)).toEqual(['general', 'lobby', 'secret']);
    expect(rooms.find((r) => r.id === lobby)).toMatchObject({ memberCount: 2, lastSeq: 3, unread: 2 });
    expect(rooms.find((r) => r.id === secret)).toMatchObject({ memberCount: 2, lastSeq: 2, unread: 2 });
    const mine = await fx.request(ChatSubject.ListRooms, { actor: carol, memberOnly: true });
    expect(mine.rooms).toEqual([expect.objectContaining({ id: secret, unread: 0 })]);
    const bobs = await fx.request(ChatSubject.ListRooms, { actor: bob });
    expect(bobs.rooms.map((r) => r.id)).not.toContain(secret);
  });

  it('lists the members, and goes on from the migrated state', async () => {
    const { members } = await fx.request(ChatSubject.GetRoom, { actor: carol, roomId: secret });
    expect(members.map((m) => m.id).sort()).toEqual([alice.id, carol.id].sort());
    await fx.request(ChatSubject.LeaveRoom, { actor: bob, roomId: lobby });
    const sent = await fx.request(ChatSubject.SendMessage, {
      actor: carol,
      roomId: lobby,
      clientMsgId: 'c1',
      body: 'hi',
    });
    expect(sent.message.seq).toBe(4);
    const { room } = await fx.request(ChatSubject.GetRoom, { actor: alice, roomId: lobby });
    expect(room).toMatchObject({ memberCount: 2, lastSeq: 4 });
  });

  it('answers a retry of a message written without its send key (older writers wrote it after) with that message', async () => {
    const retry = await fx.request(ChatSubject.SendMessage, {
      actor: alice,
      roomId: lobby,
      clientMsgId: `${lobby.slice(0, 8)}-2`,
      body: 'again',
    });
    expect(retry.message).toMatchObject({ seq: 2, body: 'm2' });
  });

  it('drops the indexes no lookup uses, once', async () => {
    const names = async (c: string) => (await fx.db.collection(c).indexes()).map((ix) => ix.name);
    expect(await names('memberships')).toEqual(['_id_']);
    expect(await names('messages')).not.toContain('roomId_1_seq_1');
    expect(await names('rooms')).not.toContain('kind_1');
    expect(await fx.db.collection('migrations').findOne({ _id: 'message-keyed-by-id-v1' as never })).not.toBeNull();
  });
});
