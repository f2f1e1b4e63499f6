import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { SendMessageRequest } from '../chat/chat.payloads';
import { ClientEvent } from './client-to-server';
import { CLIENT_PAYLOADS, MessageSendPayload, RoomJoinPayload, RoomReadPayload } from './socket.payloads';

function reasons(cls: new () => object, value: object): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of validateSync(plainToInstance(cls, value))) out[e.property] = Object.values(e.constraints ?? {});
  return out;
}

describe('socket payloads', () => {
  it('has a payload class for every client → server event', () => {
    expect(Object.keys(CLIENT_PAYLOADS).sort()).toEqual(Object.values(ClientEvent).sort());
  });

  it("takes a send's field rules from the NATS request, word for word", () => {
    const bad = { clientMsgId: 'has space', body: ' ' };
    const socket = reasons(MessageSendPayload, { roomId: 'r1', ...bad });
    const nats = reasons(SendMessageRequest, { actor: { id: 'u1', username: 'alice' }, roomId: 'r1', ...bad });
    expect(Object.keys(socket).sort()).toEqual(['body', 'clientMsgId']);
    expect(socket.clientMsgId).toEqual(nats.clientMsgId);
    expect(socket.body).toEqual(nats.body);
    expect(reasons(MessageSendPayload, { roomId: 'r1', clientMsgId: 'c1', attachmentIds: ['a1'] })).toEqual({});
  });

  it('refuses null where a field may only be absent', () => {
    expect(Object.keys(reasons(RoomJoinPayload, { roomId: 'r1', afterSeq: null }))).toEqual(['afterSeq']);
    expect(Object.keys(reasons(RoomJoinPayload, { roomId: 'r1' }))).toEqual([]);
    const send = { roomId: 'r1', clientMsgId: 'c1', body: 'x' };
    expect(Object.keys(reasons(MessageSendPayload, { ...send, attachmentIds: null }))).toEqual(['attachmentIds']);
    expect(Object.keys(reasons(RoomReadPayload, { roomId: 'r1', seq: 1.5 }))).toEqual(['seq']);
  });

  it('takes ids of any form but an empty one: the gateway answers a form never issued NOT_FOUND', () => {
    const long = 'x'.repeat(500);
    expect(reasons(RoomJoinPayload, { roomId: `${long}.*` })).toEqual({});
    expect(Object.keys(reasons(RoomJoinPayload, { roomId: '' }))).toEqual(['roomId']);
    expect(Object.keys(reasons(RoomJoinPayload, { roomId: 42 }))).toEqual(['roomId']);
    expect(reasons(MessageSendPayload, { roomId: 'r1', clientMsgId: 'c1', attachmentIds: ['', long] })).toEqual({});
    const nats = { actor: { id: 'u1', username: 'alice' }, roomId: 'r1', clientMsgId: 'c1', attachmentIds: [long] };
    expect(Object.keys(reasons(SendMessageRequest, nats))).toEqual(['attachmentIds']);
  });
});
