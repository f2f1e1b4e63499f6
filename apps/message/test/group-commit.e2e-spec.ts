import 'reflect-metadata';
import { ChatSubject, EventSubject, RoomEvent } from '@app/contracts';
import { sendKeyOf } from '../src/message/message-id';
import { CLAIM_LEASE_MS } from '../src/message/message-writer.service';
import { MessageServiceFixture, aUser } from './message-service.fixture';

jest.setTimeout(90_000);

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Group commit per room (one insertMany per batch of queued sends), two instances on one database. */
describe('message service: group commit', () => {
  const fx = new MessageServiceFixture();
  const alice = aUser('alice');
  const bob = aUser('bob');

  beforeAll(() => fx.start(2));
  afterAll(() => fx.stop());

  const publicRoom = async (name: string) =>
    (await fx.request(ChatSubject.CreateRoom, { actor: alice, name, kind: 'public', members: [] })).room;

  it('gives 400 concurrent sends into one room over both instances exactly 1..400, each announced once', async () => {
    const room = await publicRoom('flood');
    const events = fx.record<RoomEvent>(EventSubject.room(room.id));
    await fx.nc.flush();
    const n = 400;
    const replies = await Promise.all(
      range(1, n).map((i) =>
        fx.request(ChatSubject.SendMessage, {
          actor: i % 2 ? alice : bob,
          roomId: room.id,
          clientMsgId: `flood-${i}`,
          body: `m${i}`,
        }),
      ),
    );
    expect(replies.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual(range(1, n));
    const stored = await fx.db.collection('messages').find({ roomId: room.id }).toArray();
    expect(stored.map((m) => m.seq as number).sort((a, b) => a - b)).toEqual(range(1, n));
    const byId = new Map(stored.map((m) => [String(m._id), m]));
    for (const { message } of replies) expect(byId.get(message.id)?.clientMsgId).toBe(message.clientMsgId);

    await events.waitFor(() => events.events.length >= n);
    await new Promise((r) => setTimeout(r, 200)); // a duplicate announcement would arrive by now
    const announced = events.events.flatMap((e) => (e.type === 'message.new' ? [e.message.seq] : []));
    expect(announced.sort((a, b) => a - b)).toEqual(range(1, n));
    events.close();
  });

  it('stores identical retries that land in one batch once, and answers them all with that message', async () => {
    const room = await publicRoom('retries');
    const ids = range(1, 20).map((i) => `r-${i}`);
    const replies = await Promise.all(
      [0, 1, 2].flatMap((copy) =>
        ids.map((clientMsgId) =>
          fx.request(ChatSubject.SendMessage, { actor: alice, roomId: room.id, clientMsgId, body: `copy ${copy}` }),
        ),
      ),
    );
    for (const id of ids) {
      const answers = replies.filter((r) => r.message.clientMsgId === id).map((r) => r.message);
      expect(answers).toHaveLength(3);
      expect(answers.every((m) => m.id === answers[0].id && m.seq === answers[0].seq)).toBe(true);
    }
    expect(new Set(replies.map((r) => r.message.seq))).toEqual(new Set(range(1, 20)));
    expect(await fx.db.collection('messages').countDocuments({ roomId: room.id })).toBe(20);
    expect(await fx.db.collection('messages').countDocuments({ 'author.id': alice.id, clientMsgId: 'r-7' })).toBe(1);
  });

  it('recovers a batch that collides with another writer’s seqs and with a send it already stored', async () => {
    const room = await publicRoom('collide');
    const send = (clientMsgId: string, actor = alice) =>
      fx.request(ChatSubject.SendMessage, { actor, roomId: room.id, clientMsgId, body: clientMsgId });
    await Promise.all(range(1, 10).map((i) => send(`warm-${i}`))); // both instances now think they know the last seq
    // A third writer stores 11..15 behind their backs, one of them alice's "elsewhere" (claiming
    // each send's key first, as every writer does), and dies before announcing any.
    const outside = range(11, 15).map((seq) => ({
      _id: `${encodeURIComponent(room.id)}:${seq}`,
      roomId: room.id,
      seq,
      author: seq === 13 ? alice : bob,
      body: `outside ${seq}`,
      clientMsgId: seq === 13 ? 'elsewhere' : `outside-${seq}`,
      createdAt: new Date(),
    }));
    await fx.db.collection('send_keys').insertMany(
      outside.map((m) => ({
        _id: sendKeyOf(m.author.id, m.clientMsgId),
        messageId: m._id,
        tried: [m._id],
        owner: 'a third writer',
        at: new Date(),
      })) as never[],
    );
    await fx.db.collection('messages').insertMany(outside as never[]);

    const replies = await Promise.all([...range(1, 30).map((i) => send(`burst-${i}`)), send('elsewhere')]);
    const retried = replies.pop()!;
    expect(retried.message).toMatchObject({ seq: 13, body: 'outside 13', clientMsgId: 'elsewhere' });
    expect(replies.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual(range(16, 45));
    const stored = await fx.db.collection('messages').find({ roomId: room.id }).project({ seq: 1 }).toArray();
    expect(stored.map((m) => m.seq as number).sort((a, b) => a - b)).toEqual(range(1, 45));
    const history = await fx.request(ChatSubject.History, { actor: bob, roomId: room.id, after: 40, limit: 10 });
    expect(history.messages.map((m) => m.seq)).toEqual(range(41, 45));
  });

  it('keeps every room gapless when many rooms write at once and one of them collides mid-command', async () => {
    const rooms = await Promise.all(range(1, 6).map((i) => publicRoom(`together-${i}`)));
    const [collider] = rooms;
    const send = (roomId: string, clientMsgId: string) =>
      fx.request(ChatSubject.SendMessage, { actor: bob, roomId, clientMsgId, body: clientMsgId });
    await Promise.all(rooms.map((r) => send(r.id, `warm-${r.id}`)));
    // Another writer takes the collider's seqs 2..4 behind both instances' backs.
    const outside = range(2, 4).map((seq) => ({
      _id: `${encodeURIComponent(collider.id)}:${seq}`,
      roomId: collider.id,
      seq,
      author: alice,
      body: `outside ${seq}`,
      clientMsgId: `outside-together-${seq}`,
      createdAt: new Date(),
    }));
    await fx.db.collection('send_keys').insertMany(
      outside.map((m) => ({
        _id: sendKeyOf(m.author.id, m.clientMsgId),
        messageId: m._id,
        tried: [m._id],
        owner: 'a third writer',
        at: new Date(),
      })) as never[],
    );
    await fx.db.collection('messages').insertMany(outside as never[]);

    // Every room's batch meets the others' in the same insert commands, the collider's among them.
    const replies = await Promise.all(
      rooms.flatMap((r) => range(1, 25).map((i) => send(r.id, `together-${r.id}-${i}`).then((x) => x.message))),
    );
    for (const room of rooms) {
      const first = room === collider ? 5 : 2;
      const mine = replies.filter((m) => m.roomId === room.id).map((m) => m.seq);
      expect(mine.sort((a, b) => a - b)).toEqual(range(first, first + 24));
      const stored = await fx.db.collection('messages').find({ roomId: room.id }).project({ seq: 1 }).toArray();
      expect(stored.map((m) => m.seq as number).sort((a, b) => a - b)).toEqual(range(1, first + 24));
    }
  });

  it('takes over at once the fresh claim of a writer no process answers for (killed mid-send)', async () => {
    const room = await publicRoom('orphaned');
    const key = sendKeyOf(alice.id, 'orphaned-1');
    // A writer claimed this send a moment ago and was killed before storing it: nobody answers for it.
    await fx.db.collection('send_keys').insertOne({
      _id: key,
      messageId: `${encodeURIComponent(room.id)}:1`,
      tried: [`${encodeURIComponent(room.id)}:1`],
      owner: 'a-writer-that-was-killed',
      at: new Date(),
    } as never);
    const t0 = Date.now();
    const { message } = await fx.request(ChatSubject.SendMessage, {
      actor: alice,
      roomId: room.id,
      clientMsgId: 'orphaned-1',
      body: 'retried after the kill',
    });
    expect(message).toMatchObject({ seq: 1, clientMsgId: 'orphaned-1', body: 'retried after the kill' });
    expect(Date.now() - t0).toBeLessThan(CLAIM_LEASE_MS); // not left waiting for the claim's lease
    expect(await fx.db.collection('messages').countDocuments({ roomId: room.id })).toBe(1);
  });
});
