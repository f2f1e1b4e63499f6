import 'reflect-metadata';
import { ChatSubject, MessageView, RoomView } from '@app/contracts';
import { MessageServiceFixture, aUser } from './message-service.fixture';

jest.setTimeout(90_000);

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * Recent messages held in memory by each instance (RecentMessages): catch-ups, gap fills and
 * newest pages come from there, and an edit or delete on either instance is seen at once on both.
 */
describe('message service: recent messages held per room, two instances', () => {
  const fx = new MessageServiceFixture();
  const alice = aUser('alice');
  const bob = aUser('bob');
  let room: RoomView;
  let sent: MessageView[];

  beforeAll(async () => {
    await fx.start(2);
    room = (await fx.request(ChatSubject.CreateRoom, { actor: alice, name: 'held', kind: 'private', members: [bob] }))
      .room;
    sent = [];
    for (const i of range(1, 30)) {
      sent.push(
        (
          await fx.request(ChatSubject.SendMessage, {
            actor: bob,
            roomId: room.id,
            clientMsgId: `h${i}`,
            body: `m${i}`,
          })
        ).message,
      );
    }
  });
  afterAll(() => fx.stop());

  /** Twenty reads of each kind: the queue group spreads them over both instances. */
  const readEverywhere = async () => {
    const reads = await Promise.all(
      range(1, 20).flatMap(() => [
        fx.request(ChatSubject.History, { actor: alice, roomId: room.id, limit: 50 }).then((r) => r.messages),
        fx.request(ChatSubject.JoinRoom, { actor: alice, roomId: room.id, afterSeq: 0 }).then((r) => r.missed),
        fx
          .request(ChatSubject.History, { actor: alice, roomId: room.id, after: 20, limit: 50 })
          .then((r) => r.messages),
      ]),
    );
    return reads;
  };

  it('serves recent ranges from memory once read: a change written behind its back is not seen', async () => {
    await readEverywhere();
    const id = sent[9].id;
    await fx.db.collection('messages').updateOne({ _id: id as never }, { $set: { body: 'behind its back' } });
    const reads = await readEverywhere();
    const bodies = reads.flatMap((page) => page.filter((m) => m.id === id).map((m) => m.body));
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.every((b) => b === 'm10')).toBe(true);
  });

  it('shows an edit and a delete made on either instance in every read that follows, on both', async () => {
    await readEverywhere();
    const edited = sent[21];
    const deleted = sent[24];
    await fx.request(ChatSubject.EditMessage, { actor: bob, messageId: edited.id, body: 'edited' });
    await fx.request(ChatSubject.DeleteMessage, { actor: bob, messageId: deleted.id });
    const reads = await readEverywhere();
    for (const page of reads) {
      expect(page.find((m) => m.id === edited.id)?.body).toBe('edited');
      expect(page.find((m) => m.id === deleted.id)).toMatchObject({ deleted: true, body: '' });
    }
    // A change behind its back since the last revision is seen now: the revision dropped the held copies.
    expect(reads[0].find((m) => m.id === sent[9].id)?.body).toBe('behind its back');
  });

  it('keeps catch-ups exact while both instances write the room', async () => {
    const replies = await Promise.all(
      range(31, 90).map((i) =>
        fx.request(ChatSubject.SendMessage, {
          actor: i % 2 ? alice : bob,
          roomId: room.id,
          clientMsgId: `h${i}`,
          body: `m${i}`,
        }),
      ),
    );
    const catchUps = await Promise.all(
      range(1, 20).map(() => fx.request(ChatSubject.JoinRoom, { actor: bob, roomId: room.id, afterSeq: 25 })),
    );
    for (const { missed, hasMore } of catchUps) {
      expect(hasMore).toBe(false);
      expect(missed.map((m) => m.seq)).toEqual(range(26, 90));
      const acked = new Map(replies.map((r) => [r.message.id, r.message]));
      for (const m of missed) if (m.seq > 30) expect(m).toEqual(acked.get(m.id));
    }
  });
});
