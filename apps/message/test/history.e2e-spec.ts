import 'reflect-metadata';
import { ChatSubject, HistoryReply } from '@app/contracts';
import { MessageServiceFixture, aUser } from './message-service.fixture';

jest.setTimeout(60_000);

const seqsOf = (reply: HistoryReply) => ({ seqs: reply.messages.map((m) => m.seq), hasMore: reply.hasMore });

describe('message service: history paging and catch-up', () => {
  const fx = new MessageServiceFixture();
  const actor = aUser('pager');
  let roomId: string;
  const page = (q: { before?: number; after?: number; limit: number }) =>
    fx.request(ChatSubject.History, { actor, roomId, ...q }).then(seqsOf);

  beforeAll(async () => {
    await fx.start(1);
    roomId = (await fx.request(ChatSubject.CreateRoom, { actor, name: 'h', kind: 'private', members: [] })).room.id;
    for (let i = 1; i <= 7; i++) {
      await fx.request(ChatSubject.SendMessage, { actor, roomId, clientMsgId: `h-${i}`, body: `m${i}` });
    }
  });
  afterAll(() => fx.stop());

  it('returns the newest page without a cursor; hasMore says older exist', async () => {
    expect(await page({ limit: 3 })).toEqual({ seqs: [5, 6, 7], hasMore: true });
    expect(await page({ limit: 7 })).toEqual({ seqs: [1, 2, 3, 4, 5, 6, 7], hasMore: false });
    expect(await page({ limit: 100 })).toEqual({ seqs: [1, 2, 3, 4, 5, 6, 7], hasMore: false });
  });

  it('pages backwards with before', async () => {
    expect(await page({ before: 5, limit: 3 })).toEqual({ seqs: [2, 3, 4], hasMore: true });
    expect(await page({ before: 4, limit: 3 })).toEqual({ seqs: [1, 2, 3], hasMore: false });
    expect(await page({ before: 2, limit: 3 })).toEqual({ seqs: [1], hasMore: false });
    expect(await page({ before: 1, limit: 3 })).toEqual({ seqs: [], hasMore: false });
    expect(await page({ before: 1000, limit: 2 })).toEqual({ seqs: [6, 7], hasMore: true });
  });

  it('pages forwards with after; hasMore says newer exist', async () => {
    expect(await page({ after: 0, limit: 3 })).toEqual({ seqs: [1, 2, 3], hasMore: true });
    expect(await page({ after: 4, limit: 3 })).toEqual({ seqs: [5, 6, 7], hasMore: false });
    expect(await page({ after: 3, limit: 3 })).toEqual({ seqs: [4, 5, 6], hasMore: true });
    expect(await page({ after: 7, limit: 3 })).toEqual({ seqs: [], hasMore: false });
  });

  it('returns messages in the contract shape', async () => {
    const { messages } = await fx.request(ChatSubject.History, { actor, roomId, limit: 1 });
    expect(messages).toEqual([
      {
        id: expect.any(String),
        roomId,
        seq: 7,
        author: actor,
        body: 'm7',
        attachments: [],
        clientMsgId: 'h-7',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
    ]);
  });

  it('returns what was missed after afterSeq on join, and nothing without afterSeq', async () => {
    const missed = await fx.request(ChatSubject.JoinRoom, { actor, roomId, afterSeq: 5 });
    expect(missed.missed.map((m) => m.body)).toEqual(['m6', 'm7']);
    expect(missed.hasMore).toBe(false);
    expect(missed.room.lastSeq).toBe(7);
    expect(await fx.request(ChatSubject.JoinRoom, { actor, roomId, afterSeq: 7 })).toMatchObject({ missed: [] });
    expect(await fx.request(ChatSubject.JoinRoom, { actor, roomId })).toMatchObject({ missed: [], hasMore: false });
  });
});
