import 'reflect-metadata';
import { EventBus } from '@app/nats';
import { ErrorCode, RoomEvent } from '@app/contracts';
import { DomainError } from '@app/errors';
import { LastSeqHintService } from '../room/last-seq-hint.service';
import { RoomStatsService } from '../room/room-stats.service';
import { Room } from '../room/room.schema';
import { probeLastSeq } from './last-seq-probe';
import { messageIdOf, sendKeyOf } from './message-id';
import { CLAIM_LEASE_MS, Draft, GROUP_COMMIT, MessageWriter, Written } from './message-writer.service';
import { MessageRepository } from './message.repository';
import { Message } from './message.schema';
import { SendKey } from './send-key.schema';
import { WriterLiveness } from './writer-liveness.service';

const tick = () => new Promise((r) => setImmediate(r));

type Report = 'position' | 'none' | 'wrong';

/**
 * The messages collection as mongod and FerretDB behave (probed): unique `_id` and (author,
 * clientMsgId), an ordered insertMany that stores document by document and stops at the first
 * refusal, keeping those before it. Each document is its own round trip, so writers interleave.
 */
class MessageStore {
  readonly docs = new Map<string, Message>();
  readonly sendKeys = new Map<string, SendKey>();
  readonly batchSizes: number[] = [];
  /** Inserts this many documents of the next batch, then fails as a dropped connection does. */
  breakNextInsertAfter?: number;
  lookupsFail = false;
  lookups = 0;

  /** What its duplicate-key errors say: the refused position, nothing, or a wrong position. */
  constructor(private readonly report: Report = 'position') {}
  hold?: Promise<void>;

  async insertMany(messages: Message[]): Promise<void> {
    this.batchSizes.push(messages.length);
    await this.hold;
    for (const [i, m] of messages.entries()) {
      await tick();
      if (this.breakNextInsertAfter === i) {
        this.breakNextInsertAfter = undefined;
        throw Object.assign(new Error('connection reset'), { name: 'MongoNetworkError' });
      }
      const sameKey = [...this.docs.values()].some(
        (d) => d.author.id === m.author.id && d.clientMsgId === m.clientMsgId,
      );
      if (this.docs.has(m._id) || sameKey) throw this.duplicateKey(i, messages.length);
      this.docs.set(m._id, structuredClone(m));
    }
  }

  private duplicateKey(index: number, size: number): Error {
    const err = Object.assign(new Error('E11000 duplicate key error'), { code: 11000 });
    if (this.report === 'position') return Object.assign(err, { writeErrors: [{ index, code: 11000 }] });
    if (this.report === 'wrong')
      return Object.assign(err, { writeErrors: [{ index: (index + 1) % size, code: 11000 }] });
    return err;
  }

  async findAt(roomId: string, seq: number): Promise<Message | null> {
    await tick();
    this.lookups++;
    if (this.lookupsFail) throw Object.assign(new Error('no server'), { name: 'MongoServerSelectionError' });
    return this.docs.get(messageIdOf(roomId, seq)) ?? null;
  }

  findAtEach(roomId: string, seqs: number[]): Promise<(Message | null)[]> {
    return Promise.all(seqs.map((seq) => this.findAt(roomId, seq)));
  }

  lastSeq(roomId: string, hint: number): Promise<number> {
    return probeLastSeq(hint, async (seq) => (await this.findAt(roomId, seq)) !== null);
  }

  async findSent(authorId: string, clientMsgId: string): Promise<Message | null> {
    const key = await this.findSendKey(sendKeyOf(authorId, clientMsgId));
    return key && this.storedFor(key, authorId, clientMsgId);
  }

  async storedFor(key: SendKey, authorId: string, clientMsgId: string): Promise<Message | null> {
    await tick();
    this.lookups++;
    if (this.lookupsFail) throw Object.assign(new Error('no server'), { name: 'MongoServerSelectionError' });
    const found = (key.tried ?? [key.messageId]).map((id) => this.docs.get(id));
    return found.find((m) => m?.author.id === authorId && m.clientMsgId === clientMsgId) ?? null;
  }

  async findSendKey(key: string): Promise<SendKey | null> {
    await tick();
    return this.sendKeys.get(key) ?? null;
  }

  /** Unordered: each key that is free is claimed, the others refused. */
  async claimSendKeys(messages: Message[], keys: string[], owner: string): Promise<boolean[]> {
    await tick();
    return messages.map((m, i) => {
      const key = keys[i];
      expect(key).toBe(sendKeyOf(m.author.id, m.clientMsgId));
      if (this.sendKeys.has(key)) return false;
      this.sendKeys.set(key, { _id: key, messageId: m._id, tried: [m._id], owner, at: new Date() });
      return true;
    });
  }

  async moveSendKey(message: Message, keyId: string, owner: string): Promise<boolean> {
    await tick();
    expect(keyId).toBe(sendKeyOf(message.author.id, message.clientMsgId));
    const key = this.sendKeys.get(keyId);
    if (key?.owner !== owner) return false;
    Object.assign(key, {
      messageId: message._id,
      at: new Date(),
      tried: [...new Set([...(key.tried ?? []), message._id])],
    });
    return true;
  }

  async takeOverSendKey(stale: SendKey, owner: string): Promise<boolean> {
    await tick();
    const key = this.sendKeys.get(stale._id);
    if (!key || key.messageId !== stale.messageId || key.owner !== stale.owner) return false;
    Object.assign(key, { owner, at: new Date() });
    return true;
  }

  /** Every key of a stored message points at it. */
  keysPointAtMessages(): boolean {
    return [...this.docs.values()].every(
      (m) => this.sendKeys.get(sendKeyOf(m.author.id, m.clientMsgId))?.messageId === m._id,
    );
  }

  seqsOf(roomId: string): number[] {
    return [...this.docs.values()]
      .filter((d) => d.roomId === roomId)
      .map((d) => d.seq)
      .sort((a, b) => a - b);
  }
}

class RecordingEvents {
  readonly seqs: number[] = [];

  publish(_subject: string, event: RoomEvent): void {
    if (event.type === 'message.new') this.seqs.push(event.message.seq);
  }
}

const room = { _id: 'room-1', lastSeq: 0 } as Room;
const alice = { id: 'alice', username: 'alice' };
const bob = { id: 'bob', username: 'bob' };
const draft = (clientMsgId: string, author = alice, body = `body ${clientMsgId}`): Draft => ({
  author,
  clientMsgId,
  body,
});
const messageAt = (seq: number, author: typeof alice, clientMsgId: string): Message => ({
  _id: messageIdOf(room._id, seq),
  roomId: room._id,
  seq,
  author,
  body: clientMsgId,
  clientMsgId,
  createdAt: new Date(),
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function writerOn(store: MessageStore): { sut: MessageWriter; events: RecordingEvents } {
  const events = new RecordingEvents();
  const hints = { raise: () => undefined };
  // Holds no counts: every first batch of a room finds its last seq in the store.
  const stats = { heldLastSeq: () => undefined, stored: () => undefined };
  // Writers named 'dead' have no process answering for them; every other writer is alive.
  const liveness = { owner: `writer-${Math.random()}`, isAlive: (owner: string) => Promise.resolve(owner !== 'dead') };
  const sut = new MessageWriter(
    store as unknown as MessageRepository,
    hints as unknown as LastSeqHintService,
    stats as unknown as RoomStatsService,
    events as unknown as EventBus,
    liveness as unknown as WriterLiveness,
  );
  return { sut, events };
}

describe(MessageWriter.name, () => {
  describe.each<Report>(['position', 'none', 'wrong'])(
    'when the driver reports %s as the refused document',
    (report) => {
      let store: MessageStore;

      beforeEach(() => {
        store = new MessageStore(report);
      });

      it('writes the sends that arrive during an insert together, in one insertMany, with consecutive seqs', async () => {
        const { sut, events } = writerOn(store);
        const written = await Promise.all(range(1, 50).map((i) => sut.write(room, draft(`m${i}`))));
        expect(written.map((w) => w.message.seq)).toEqual(range(1, 50));
        expect(written.every((w) => w.created)).toBe(true);
        expect(store.batchSizes).toEqual([1, 49]);
        expect(events.seqs).toEqual(range(1, 50));
        expect(store.sendKeys.size).toBe(50);
        expect(store.keysPointAtMessages()).toBe(true);
      });

      it('gives concurrent sends over two instances exactly the seqs 1..N, each announced once, in order per instance', async () => {
        const one = writerOn(store);
        const two = writerOn(store);
        const written = await Promise.all(
          range(1, 120).map((i) => (i % 3 ? one.sut : two.sut).write(room, draft(`m${i}`, i % 2 ? alice : bob))),
        );
        expect(written.map((w) => w.message.seq).sort((a, b) => a - b)).toEqual(range(1, 120));
        expect(store.seqsOf(room._id)).toEqual(range(1, 120));
        for (const w of written) expect(store.docs.get(w.message._id)?.clientMsgId).toBe(w.message.clientMsgId);
        for (const { events } of [one, two]) expect(events.seqs).toEqual([...events.seqs].sort((a, b) => a - b));
        expect([...one.events.seqs, ...two.events.seqs].sort((a, b) => a - b)).toEqual(range(1, 120));
        expect(store.keysPointAtMessages()).toBe(true);
      });

      it('answers identical retries in one batch with the first one’s message and stores it once', async () => {
        const { sut } = writerOn(store);
        const [first, ...rest] = await Promise.all([
          sut.write(room, draft('lead')),
          sut.write(room, draft('dup', alice, 'one')),
          sut.write(room, draft('dup', alice, 'two')),
          sut.write(room, draft('next')),
          sut.write(room, draft('dup', alice, 'three')),
        ]);
        const [dup, dup2, next, dup3] = rest;
        expect(first.message.seq).toBe(1);
        expect(dup.message).toMatchObject({ seq: 2, body: 'one' });
        expect([dup2, dup3].map((w) => [w.message, w.created])).toEqual([
          [dup.message, false],
          [dup.message, false],
        ]);
        expect(next.message.seq).toBe(3);
        expect(store.seqsOf(room._id)).toEqual([1, 2, 3]);
      });

      it('answers a send already stored by another instance with that message, amid a batch, leaving no gap', async () => {
        const { sut, events } = writerOn(store);
        await sut.write(room, draft('m1'));
        // Another instance stored alice's "x" at seq 2 (its key, written first, points there).
        const stored = { ...messageAt(2, alice, 'x'), body: 'from elsewhere' };
        store.docs.set(stored._id, stored);
        const key = sendKeyOf(alice.id, 'x');
        store.sendKeys.set(key, { _id: key, messageId: stored._id, owner: 'elsewhere', at: new Date() });
        const written = await Promise.all(['a', 'x', 'b', 'c'].map((id) => sut.write(room, draft(id))));
        expect(written[1]).toEqual({ message: stored, created: false });
        expect(written.filter((_, i) => i !== 1).map((w) => w.message.seq)).toEqual([3, 4, 5]);
        expect(store.seqsOf(room._id)).toEqual(range(1, 5));
        expect(events.seqs).toEqual([1, 3, 4, 5]); // seq 2 was its writer's to announce
        expect(store.keysPointAtMessages()).toBe(true);
      });

      it('takes over the claim of a writer that died before storing its message, once the lease is over', async () => {
        const { sut } = writerOn(store);
        await sut.write(room, draft('m1'));
        const key = sendKeyOf(alice.id, 'orphan');
        const long = new Date(Date.now() - CLAIM_LEASE_MS - 1000);
        store.sendKeys.set(key, { _id: key, messageId: messageIdOf(room._id, 2), owner: 'silent', at: long });
        const written = await sut.write(room, draft('orphan'));
        expect(written).toMatchObject({ created: true, message: { seq: 2, clientMsgId: 'orphan' } });
        expect(store.sendKeys.get(key)).toMatchObject({ messageId: written.message._id });
        expect(store.seqsOf(room._id)).toEqual([1, 2]);
      });

      it('takes over at once, without waiting for the lease, the claim of a writer no process answers for', async () => {
        const { sut } = writerOn(store);
        const key = sendKeyOf(alice.id, 'killed');
        store.sendKeys.set(key, { _id: key, messageId: messageIdOf(room._id, 1), owner: 'dead', at: new Date() });
        const written = await sut.write(room, draft('killed'));
        expect(written).toMatchObject({ created: true, message: { seq: 1, clientMsgId: 'killed' } });
        expect(store.sendKeys.get(key)).toMatchObject({ messageId: written.message._id });
      });

      it('answers UNAVAILABLE, storing nothing, while another live writer holds the claim of the same send', async () => {
        const { sut } = writerOn(store);
        const key = sendKeyOf(alice.id, 'busy');
        store.sendKeys.set(key, { _id: key, messageId: messageIdOf(room._id, 1), owner: 'alive', at: new Date() });
        const refused = await sut.write(room, draft('busy')).catch((err: unknown) => err);
        expect((refused as DomainError).code).toBe(ErrorCode.UNAVAILABLE);
        expect(store.seqsOf(room._id)).toEqual([]);
        expect(store.sendKeys.get(key)?.owner).toBe('alive');
      });

      it('after another instance took the batch’s seqs, retries the rest past them', async () => {
        const one = writerOn(store);
        const two = writerOn(store);
        await one.sut.write(room, draft('m1')); // one caches last seq 1
        await Promise.all(range(2, 6).map((i) => two.sut.write(room, draft(`t${i}`, bob))));
        const written = await Promise.all(range(1, 4).map((i) => one.sut.write(room, draft(`late${i}`))));
        expect(written.map((w) => w.message.seq)).toEqual(range(7, 10));
        expect(store.seqsOf(room._id)).toEqual(range(1, 10));
        expect(one.events.seqs).toEqual([1, 7, 8, 9, 10]);
      });

      it('finds out what a colliding batch of 40 stored with a few lookups when the report is right, else one per seq', async () => {
        const { sut } = writerOn(store);
        await sut.write(room, draft('m1'));
        let release!: () => void;
        store.hold = new Promise<void>((r) => (release = r));
        const lead = sut.write(room, draft('lead')); // seq 2, held
        const batch = range(1, 40).map((i) => sut.write(room, draft(`w${i}`)));
        const outside = messageAt(3, bob, 'outside'); // another instance's, behind this one's back
        store.docs.set(outside._id, outside);
        store.lookups = 0;
        release();
        await lead;
        const written = await Promise.all(batch);
        expect(written.map((w) => w.message.seq)).toEqual(range(4, 43));
        expect(store.seqsOf(room._id)).toEqual(range(1, 43));
        if (report === 'position') expect(store.lookups).toBeLessThanOrEqual(4);
        else expect(store.lookups).toBeGreaterThanOrEqual(40);
      });

      it('on a database failure mid-batch acks exactly what was stored and fails the rest; the next send follows on', async () => {
        const { sut, events } = writerOn(store);
        await sut.write(room, draft('m1'));
        store.hold = new Promise((r) => setTimeout(r, 5));
        store.breakNextInsertAfter = 2;
        const outcomes = await Promise.allSettled(range(1, 5).map((i) => sut.write(room, draft(`b${i}`))));
        store.hold = undefined;
        // b1 went alone, b2..b5 together: two of those were stored before the connection broke.
        expect(store.batchSizes).toEqual([1, 1, 4]);
        expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value.message.seq : 'failed'))).toEqual([
          2,
          3,
          4,
          'failed',
          'failed',
        ]);
        expect(store.seqsOf(room._id)).toEqual([1, 2, 3, 4]);
        expect(events.seqs).toEqual([1, 2, 3, 4]);
        const retried = await Promise.all(range(2, 5).map((i) => sut.write(room, draft(`b${i}`))));
        expect(retried.map((w) => w.message.seq)).toEqual([3, 4, 5, 6]);
        expect(retried.map((w) => w.created)).toEqual([false, false, true, true]);
        expect(store.seqsOf(room._id)).toEqual(range(1, 6));
      });

      it('acks nothing when it cannot find out what a failed batch stored', async () => {
        const { sut, events } = writerOn(store);
        store.breakNextInsertAfter = 1;
        store.lookupsFail = true;
        const outcomes = await Promise.allSettled([sut.write(room, draft('a')), sut.write(room, draft('b'))]);
        expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
        expect(events.seqs).toEqual([]);
      });

      it('answers UNAVAILABLE past the waiting line of a room instead of queueing without bound', async () => {
        const { sut } = writerOn(store);
        let release!: () => void;
        store.hold = new Promise<void>((r) => (release = r));
        const accepted = range(0, GROUP_COMMIT.maxQueuedPerKey).map((i) => sut.write(room, draft(`q${i}`)));
        const refused = await sut.write(room, draft('one too many')).catch((err: unknown) => err);
        expect(refused).toBeInstanceOf(DomainError);
        expect((refused as DomainError).code).toBe(ErrorCode.UNAVAILABLE);
        release();
        const written: Written[] = await Promise.all(accepted);
        expect(written.map((w) => w.message.seq)).toEqual(range(1, GROUP_COMMIT.maxQueuedPerKey + 1));
      });
    },
  );
});
