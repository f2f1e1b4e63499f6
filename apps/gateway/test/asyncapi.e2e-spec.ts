import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { parse } from 'yaml';
import {
  Json,
  Session,
  api,
  closeAllSockets,
  connectSocket,
  emitAck,
  newClientMsgId,
  registerAndLogin,
  waitFor,
} from '../../../test/harness/client';
import { parseProtocol } from '../../../test/harness/protocol-tables';
import { schemaChecker } from '../../../test/harness/schema-check';
import { Stack, startStack } from '../../../test/harness/stack';

jest.setTimeout(60_000);

const doc: Json = parse(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'asyncapi.yaml'), 'utf8'));

/** `{$ref: '#/a/b'}` → doc.a.b */
const deref = (node: Json): Json =>
  typeof node?.$ref === 'string'
    ? (node.$ref as string)
        .slice(2)
        .split('/')
        .reduce((at: Json, key: string) => at?.[key], doc)
    : node;

/** The documented operation of `event` in one direction: its message's payload schema, and its ack's. */
function documented(action: 'receive' | 'send', event: string): { payload: Json; ack?: Json } | undefined {
  const op = Object.values(doc.operations as Record<string, Json>).find(
    (o) => o.action === action && deref(o.channel)?.address === event,
  );
  if (!op) return undefined;
  return { payload: deref(op.messages[0]).payload, ack: op.reply && deref(op.reply.messages[0]).payload };
}

// Real sockets against a running stack: every ack and every event the gateway sends is checked
// against docs/asyncapi.yaml (closed schemas: no field the document does not name), and the
// payloads the gateway refuses as VALIDATION_FAILED are the ones the document's schemas refuse.
describe('AsyncAPI document against real sockets', () => {
  let stack: Stack;
  let gw: string;
  let a: Session;
  let b: Session;
  let c: Session;
  const check = schemaChecker(doc.components);
  const received: { to: string; event: string; payload: unknown }[] = [];
  const acked = new Set<string>();

  async function connect(name: string, session: Session): Promise<Socket> {
    const socket = await connectSocket(gw, session.token);
    socket.onAny((event: string, payload: unknown) => received.push({ to: name, event, payload }));
    return socket;
  }

  /** Emits a payload the document accepts; the ack must fit the documented ack. */
  async function emitDocumented(socket: Socket, event: string, payload: Json): Promise<Json> {
    const op = documented('receive', event);
    expect({ event, documented: op !== undefined }).toEqual({ event, documented: true });
    expect({ event, payloadErrors: check(op!.payload, payload) }).toEqual({ event, payloadErrors: null });
    const ack = await emitAck(socket, event, payload);
    expect({ event, ack, ackErrors: check(op!.ack, ack) }).toEqual({ event, ack, ackErrors: null });
    acked.add(event);
    return ack;
  }

  beforeAll(async () => {
    stack = await startStack({ gateways: 1 });
    gw = stack.gatewayUrls[0];
    [a, b, c] = await Promise.all([
      registerAndLogin(gw, 'asyncA'),
      registerAndLogin(gw, 'asyncB'),
      registerAndLogin(gw, 'asyncC'),
    ]);
  }, 120_000);

  afterAll(async () => {
    closeAllSockets();
    await stack?.stop();
  });

  it('every ack and every server event of a session fits the document', async () => {
    const sa = await connect('a', a);
    const sc = await connect('c', c);
    const created = await api(gw).post(
      '/api/rooms',
      { name: 'async', kind: 'private', members: [b.user.username] },
      { token: a.token },
    );
    const room: Json = created.body.room;
    // b's first socket: a, who shares the room, hears b come online.
    const sb = await connect('b', b);
    await emitDocumented(sb, 'room:join', { roomId: room.id, afterSeq: 0 });
    await emitDocumented(sa, 'presence:list', { roomId: room.id });

    const sent = await emitDocumented(sa, 'message:send', {
      roomId: room.id,
      clientMsgId: newClientMsgId(),
      body: `hello @${b.user.username}`,
    });
    await emitDocumented(sa, 'message:edit', { messageId: sent.message.id, body: `hello again @${b.user.username}` });
    await emitDocumented(sa, 'message:delete', { messageId: sent.message.id });
    await emitDocumented(sb, 'typing', { roomId: room.id, typing: true });
    await emitDocumented(sb, 'room:read', { roomId: room.id, seq: 1 });

    // c is added (room:added, room:member), then leaves over the socket (room:removed, room:member left).
    expect(
      (await api(gw).post(`/api/rooms/${room.id}/members`, { username: c.user.username }, { token: a.token })).status,
    ).toBe(200);
    await waitFor(() => received.some((r) => r.to === 'c' && r.event === 'room:added'), 5000, 'room:added');
    await emitDocumented(sc, 'room:leave', { roomId: room.id });

    // A refusal is an ack too: c is no longer in the private room.
    const refused = await emitDocumented(sc, 'message:send', {
      roomId: room.id,
      clientMsgId: newClientMsgId(),
      body: 'x',
    });
    expect(refused).toEqual({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN' }) });

    // b logs out: that session's socket hears session:revoked.
    expect((await api(gw).post('/api/auth/logout', undefined, { token: b.token })).status).toBe(204);

    const contract = parseProtocol().serverToClient;
    await waitFor(
      () => contract.every((event) => received.some((r) => r.event === event)),
      10_000,
      'every server → client event of the contract',
    );
    for (const { to, event, payload } of received) {
      const op = documented('send', event);
      expect({ to, event, documented: op !== undefined }).toEqual({ to, event, documented: true });
      expect({ to, event, payload, errors: check(op!.payload, payload) }).toEqual({ to, event, payload, errors: null });
    }
    expect(parseProtocol().clientToServer.filter((e) => !acked.has(e))).toEqual([]);
  });

  it.each([
    ['room:join', { roomId: '' }],
    ['room:join', { roomId: 'r', afterSeq: -1 }],
    ['room:join', { roomId: 'r', afterSeq: null }],
    ['message:send', { roomId: 'r', clientMsgId: 'not valid!', body: 'x' }],
    ['message:send', { roomId: 'r', clientMsgId: 'c1', attachmentIds: 'a1' }],
    ['message:edit', { messageId: 'm', body: 'x'.repeat(4001) }],
    ['typing', { roomId: 'r', typing: 'yes' }],
    ['room:read', { roomId: 'r', seq: 1.5 }],
    ['presence:list', {}],
  ])(
    '%s, bad payload #%#: the document refuses it, and the gateway answers VALIDATION_FAILED',
    async (event, payload) => {
      const op = documented('receive', event)!;
      expect(check(op.payload, payload)).not.toBeNull();
      const socket = await connectSocket(gw, a.token);
      const ack = await emitAck(socket, event, payload);
      expect(ack).toEqual({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.any(String) } });
      expect(check(op.ack, ack)).toBeNull();
      socket.close();
    },
  );
});
