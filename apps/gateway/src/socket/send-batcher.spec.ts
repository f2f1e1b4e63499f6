import { ChatSubject, ErrorCode, SEND_BATCH_MAX, SendMessageRequest } from '@app/contracts';
import { DomainError } from '@app/errors';
import { withRequestId } from '@app/logging';
import { NotDelivered, RpcClient } from '@app/nats';
import { SEND_BATCH_BYTES, SendBatcher, sizeOf } from './send-batcher';

interface Payload {
  clientMsgId: string;
  sends: { send: SendMessageRequest; requestId?: string }[];
}
interface Call {
  subject: string;
  payload: Payload;
}

/** The RPC client's side of the batching: what is asked, and what each call answers. */
function fakeRpc(answer: (call: Call) => Promise<unknown>) {
  const calls: Call[] = [];
  const rpc = {
    track: <T>(_subject: string, ask: () => Promise<T>) => ask(),
    request: (subject: string, payload: Payload) => {
      const call = { subject, payload };
      calls.push(call);
      return answer(call);
    },
  } as unknown as RpcClient;
  return { rpc, calls };
}

const actor = { id: 'u1', username: 'alice' };
const send = (clientMsgId: string): SendMessageRequest => ({ actor, roomId: 'r1', clientMsgId, body: clientMsgId });
const stored = (clientMsgId: string) => ({ message: { id: `m-${clientMsgId}`, clientMsgId } });

/** Echoes every send of a SendMessages request as stored, except those whose body is "refuse". */
const echo = ({ subject, payload }: Call): Promise<unknown> => {
  if (subject !== ChatSubject.SendMessages) return Promise.resolve(stored(payload.clientMsgId));
  return Promise.resolve({
    results: payload.sends.map(({ send: s }: { send: SendMessageRequest }) =>
      s.body === 'refuse' ? { error: { code: ErrorCode.FORBIDDEN, message: 'no' } } : stored(s.clientMsgId),
    ),
  });
};

describe('SendBatcher', () => {
  it('sends the sends of one event-loop turn in one request and answers each its own outcome', async () => {
    const { rpc, calls } = fakeRpc(echo);
    const batcher = new SendBatcher(rpc);
    const replies = await Promise.allSettled([
      batcher.send(send('a')),
      batcher.send({ ...send('b'), body: 'refuse' }),
      batcher.send(send('c')),
    ]);
    expect(calls.map((c) => [c.subject, c.payload.sends.length])).toEqual([[ChatSubject.SendMessages, 3]]);
    expect(replies[0]).toEqual({ status: 'fulfilled', value: stored('a') });
    expect(replies[1]).toMatchObject({ status: 'rejected', reason: { code: ErrorCode.FORBIDDEN, message: 'no' } });
    expect(replies[1].status === 'rejected' && replies[1].reason).toBeInstanceOf(DomainError);
    expect(replies[2]).toEqual({ status: 'fulfilled', value: stored('c') });
  });

  it('starts a new request in the next turn, and at SEND_BATCH_MAX sends', async () => {
    const { rpc, calls } = fakeRpc(echo);
    const batcher = new SendBatcher(rpc);
    await batcher.send(send('first'));
    const many = Array.from({ length: SEND_BATCH_MAX + 1 }, (_, i) => batcher.send(send(`n${i}`)));
    const replies = await Promise.all(many);
    expect(replies[SEND_BATCH_MAX]).toEqual(stored(`n${SEND_BATCH_MAX}`));
    expect(calls.map((c) => c.payload.sends.length)).toEqual([1, SEND_BATCH_MAX, 1]);
  });

  it('keeps each request under SEND_BATCH_BYTES, and so under NATS max_payload, with long bodies', async () => {
    const { rpc, calls } = fakeRpc(echo);
    const batcher = new SendBatcher(rpc);
    // The longest bodies the contract allows, of characters JSON escapes at 6 bytes each.
    const long = (i: number) => ({ ...send(`long${i}`), body: '\u0001'.repeat(4000) });
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => batcher.send(long(i))));
    expect(replies).toHaveLength(40);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.reduce((n, c) => n + c.payload.sends.length, 0)).toBe(40);
    for (const c of calls) {
      const bytes = Buffer.byteLength(JSON.stringify(c.payload));
      expect(bytes).toBeLessThanOrEqual(SEND_BATCH_BYTES);
      expect(c.payload.sends.reduce((n, s) => n + sizeOf(s), 0)).toBeLessThanOrEqual(SEND_BATCH_BYTES);
    }
  });

  it('carries the request id of each send', async () => {
    const { rpc, calls } = fakeRpc(echo);
    const batcher = new SendBatcher(rpc);
    await Promise.all([
      withRequestId('req-a', () => batcher.send(send('a'))),
      withRequestId('req-b', () => batcher.send(send('b'))),
      batcher.send(send('c')),
    ]);
    expect(calls[0].payload.sends.map((s) => s.requestId)).toEqual(['req-a', 'req-b', undefined]);
  });

  it('fails every send of a request that failed (the client retries with the same clientMsgId)', async () => {
    const down = DomainError.unavailable('The message service did not answer in time');
    const { rpc } = fakeRpc(() => Promise.reject(down));
    const batcher = new SendBatcher(rpc);
    const replies = await Promise.allSettled([batcher.send(send('a')), batcher.send(send('b'))]);
    expect(replies).toEqual([
      { status: 'rejected', reason: down },
      { status: 'rejected', reason: down },
    ]);
  });

  it('answers INTERNAL for a send the reply leaves out or answers with a malformed error', async () => {
    const { rpc } = fakeRpc(() => Promise.resolve({ results: [{ error: { code: 'NOPE' } }] }));
    const batcher = new SendBatcher(rpc);
    const replies = await Promise.allSettled([batcher.send(send('a')), batcher.send(send('b'))]);
    for (const r of replies) expect(r).toMatchObject({ status: 'rejected', reason: { code: ErrorCode.INTERNAL } });
  });

  it('sends one by one to a message service that does not serve SendMessages (an upgrade under way)', async () => {
    const { rpc, calls } = fakeRpc((call) =>
      call.subject === ChatSubject.SendMessages ? Promise.reject(new NotDelivered('No chat service')) : echo(call),
    );
    const batcher = new SendBatcher(rpc);
    const replies = await Promise.all([batcher.send(send('a')), batcher.send(send('b'))]);
    expect(replies).toEqual([stored('a'), stored('b')]);
    expect(calls.map((c) => c.subject)).toEqual([
      ChatSubject.SendMessages,
      ChatSubject.SendMessage,
      ChatSubject.SendMessage,
    ]);
  });
});
