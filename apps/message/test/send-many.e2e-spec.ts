import 'reflect-metadata';
import { ChatSubject, ErrorCode, EventSubject, SEND_BATCH_MAX, SendOutcome } from '@app/contracts';
import { REQUEST_ID_HEADER } from '@app/logging';
import { JSONCodec } from 'nats';
import { MessageServiceFixture, aUser } from './message-service.fixture';

jest.setTimeout(60_000);

/** What a gateway sends as one request: many sends, each with the id of its client request. */
describe('message service: many sends in one request (SendMessages)', () => {
  const fx = new MessageServiceFixture();
  const alice = aUser('many');
  const bob = aUser('other');
  let roomId: string;
  let secretId: string;

  beforeAll(async () => {
    await fx.start(1);
    roomId = (await fx.request(ChatSubject.CreateRoom, { actor: alice, name: 'many', kind: 'public', members: [] }))
      .room.id;
    secretId = (await fx.request(ChatSubject.CreateRoom, { actor: alice, name: 's', kind: 'private', members: [] }))
      .room.id;
  });
  afterAll(() => fx.stop());

  const sendMany = (sends: unknown[]) => fx.request(ChatSubject.SendMessages, { sends } as never);
  const codeOf = (outcome: SendOutcome) => ('error' in outcome ? outcome.error.code : 'OK');

  it('answers each send in order; one refused or invalid send fails no other', async () => {
    const { results } = await sendMany([
      { send: { actor: alice, roomId, clientMsgId: 'm-1', body: 'first' } },
      { send: { actor: alice, roomId, clientMsgId: 'm-2', body: '' } },
      { send: { actor: bob, roomId: secretId, clientMsgId: 'm-3', body: 'let me in' } },
      { send: { actor: alice, roomId, clientMsgId: 'm-4', body: 'second', admin: true } },
      'not a send',
      { send: { actor: alice, roomId, clientMsgId: 'm-5', body: 'third' } },
    ]);
    expect(results.map(codeOf)).toEqual([
      'OK',
      ErrorCode.VALIDATION_FAILED,
      ErrorCode.FORBIDDEN,
      ErrorCode.VALIDATION_FAILED,
      ErrorCode.VALIDATION_FAILED,
      'OK',
    ]);
    const stored = results.flatMap((r) => ('message' in r ? [r.message] : []));
    expect(stored.map((m) => [m.body, m.seq])).toEqual([
      ['first', 1],
      ['third', 2],
    ]);
    expect(await fx.db.collection('messages').countDocuments({ roomId })).toBe(2);
  });

  it('stores a send repeated in one batch, or across batches, once', async () => {
    const again = { send: { actor: alice, roomId, clientMsgId: 'twice', body: 'once only' } };
    const { results } = await sendMany([again, again]);
    const [a, b] = results.map((r) => ('message' in r ? r.message : undefined));
    expect(a?.id).toBeDefined();
    expect(b?.id).toBe(a?.id);
    const later = (await sendMany([again])).results[0];
    expect('message' in later && later.message.id).toBe(a?.id);
    expect(await fx.db.collection('messages').countDocuments({ roomId, clientMsgId: 'twice' })).toBe(1);
  });

  it('publishes each message with the request id its send came with', async () => {
    const seen = new Map<string, string | undefined>();
    const codec = JSONCodec<{ type: string; message?: { clientMsgId: string } }>();
    const sub = fx.nc.subscribe(EventSubject.room(roomId), {
      callback: (_err, msg) => {
        const event = codec.decode(msg.data);
        if (event.message) seen.set(event.message.clientMsgId, msg.headers?.get(REQUEST_ID_HEADER));
      },
    });
    await fx.nc.flush();
    const ids = ['req-one-1234', 'req-two-5678'];
    await sendMany(
      ids.map((requestId, i) => ({ requestId, send: { actor: alice, roomId, clientMsgId: `r-${i}`, body: 'x' } })),
    );
    const deadline = Date.now() + 5000;
    while (seen.size < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    sub.unsubscribe();
    expect([seen.get('r-0'), seen.get('r-1')]).toEqual(ids);
  });

  it.each<[string, () => unknown]>([
    ['no sends', () => ({ sends: [] })],
    ['sends not an array', () => ({ sends: { send: {} } })],
    [`more than ${SEND_BATCH_MAX} sends`, () => ({ sends: Array.from({ length: SEND_BATCH_MAX + 1 }, () => ({})) })],
    ['an unknown field', () => ({ sends: [{}], admin: true })],
  ])('answers VALIDATION_FAILED to a batch with %s', async (_what, payload) => {
    expect(await fx.codeOf(ChatSubject.SendMessages, payload())).toBe(ErrorCode.VALIDATION_FAILED);
  });
});
