import 'reflect-metadata';
import { ChatSubject, ErrorCode, RequestSubject } from '@app/contracts';
import { JSONCodec } from 'nats';
import { MessageServiceFixture, aUser } from './message-service.fixture';

jest.setTimeout(60_000);

describe('message service: payload validation', () => {
  const fx = new MessageServiceFixture();
  const actor = aUser('val');
  let roomId: string;

  beforeAll(async () => {
    await fx.start(1);
    roomId = (await fx.request(ChatSubject.CreateRoom, { actor, name: 'v', kind: 'public', members: [] })).room.id;
  });
  afterAll(() => fx.stop());

  const send = (extra: object) => ({ actor, roomId, clientMsgId: 'ok-id', body: 'ok', ...extra });

  it.each<[string, RequestSubject, () => unknown]>([
    ['no actor', ChatSubject.ListRooms, () => ({})],
    ['actor without id', ChatSubject.ListRooms, () => ({ actor: { username: 'x' } })],
    ['actor as a string', ChatSubject.ListRooms, () => ({ actor: 'alice' })],
    ['memberOnly as a string', ChatSubject.ListRooms, () => ({ actor, memberOnly: 'yes' })],
    ['an unknown field', ChatSubject.ListRooms, () => ({ actor, admin: true })],
    ['an array payload', ChatSubject.ListRooms, () => [actor]],
    ['a string payload', ChatSubject.ListRooms, () => 'hello'],
    ['an empty body', ChatSubject.SendMessage, () => send({ body: '' })],
    ['a blank body', ChatSubject.SendMessage, () => send({ body: ' \n\t ' })],
    ['a body of 4001 characters', ChatSubject.SendMessage, () => send({ body: 'x'.repeat(4001) })],
    ['a body that is not a string', ChatSubject.SendMessage, () => send({ body: { $gt: '' } })],
    ['a clientMsgId with a space', ChatSubject.SendMessage, () => send({ clientMsgId: 'a b' })],
    ['a clientMsgId of 65 characters', ChatSubject.SendMessage, () => send({ clientMsgId: 'a'.repeat(65) })],
    ['no clientMsgId', ChatSubject.SendMessage, () => send({ clientMsgId: undefined })],
    ['limit 0', ChatSubject.History, () => ({ actor, roomId, limit: 0 })],
    ['limit 101', ChatSubject.History, () => ({ actor, roomId, limit: 101 })],
    ['limit as a string', ChatSubject.History, () => ({ actor, roomId, limit: '10' })],
    ['a negative cursor', ChatSubject.History, () => ({ actor, roomId, limit: 10, before: -1 })],
    ['both cursors', ChatSubject.History, () => ({ actor, roomId, limit: 10, before: 5, after: 1 })],
    ['a fractional afterSeq', ChatSubject.JoinRoom, () => ({ actor, roomId, afterSeq: 1.5 })],
    ['a room kind direct', ChatSubject.CreateRoom, () => ({ actor, name: 'x', kind: 'direct', members: [] })],
    ['a blank room name', ChatSubject.CreateRoom, () => ({ actor, name: '   ', kind: 'public', members: [] })],
    [
      'a room name of 81 characters',
      ChatSubject.CreateRoom,
      () => ({ actor, name: 'n'.repeat(81), kind: 'public', members: [] }),
    ],
    [
      'a control character in a name',
      ChatSubject.CreateRoom,
      () => ({ actor, name: 'a\u0000b', kind: 'public', members: [] }),
    ],
    ['members not an array', ChatSubject.CreateRoom, () => ({ actor, name: 'x', kind: 'public', members: 'bob' })],
    ['no peer', ChatSubject.OpenDirect, () => ({ actor })],
    ['no member', ChatSubject.AddMember, () => ({ actor, roomId })],
  ])('answers VALIDATION_FAILED to %s', async (_what, subject, payload) => {
    expect(await fx.codeOf(subject, payload())).toBe(ErrorCode.VALIDATION_FAILED);
  });

  it('answers a packet that is not JSON with an error, and keeps serving', async () => {
    const reply = await fx.nc.request(ChatSubject.ListRooms, new TextEncoder().encode('not json{'), { timeout: 5000 });
    expect(reply.data.length).toBeGreaterThan(0);
    const decoded = JSONCodec<{ err?: unknown }>().decode(reply.data);
    expect(decoded.err).toBeDefined();
    expect((await fx.request(ChatSubject.ListRooms, { actor })).rooms.length).toBeGreaterThan(0);
    expect(await fx.db.collection('messages').countDocuments({})).toBe(0);
  });

  it('answers health with its instance name', async () => {
    const reply = await fx.request(ChatSubject.Health, {});
    expect(reply).toEqual({ status: 'ok', instance: expect.stringMatching(/^message-test-0-/) });
  });
});
