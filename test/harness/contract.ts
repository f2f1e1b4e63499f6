import type { Socket } from 'socket.io-client';
import { ApiResponse, Json, api, emitAck, newClientMsgId } from './client';

/** ISO-8601 UTC, as the contract writes times. */
export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** Exactly the contract's error body: `{error: {code, message}}`, nothing else (no stack, no detail). */
export function expectError(res: ApiResponse, status: number, code: string): void {
  expect({ status: res.status, body: res.body }).toEqual({
    status,
    body: { error: { code, message: expect.any(String) } },
  });
  expect(res.headers.get('content-type') ?? '').toContain('application/json');
  expect(res.body.error.message.length).toBeGreaterThan(0);
  expect(res.text).not.toMatch(/\bat .+\.(js|ts):\d+|node_modules|MongoServerError|E11000|\$where/);
}

/** Exactly `{ok: false, error: {code, message}}`. */
export function expectAckError(ack: Json, code: string): void {
  expect(ack).toEqual({ ok: false, error: { code, message: expect.any(String) } });
  expect(JSON.stringify(ack)).not.toMatch(/\bat .+\.(js|ts):\d+|node_modules|MongoServerError|E11000/);
}

/** A User: exactly `{id, username}` (no hash, no internals). */
export function userShape(username?: string): Json {
  return { id: expect.any(String), username: username ?? expect.any(String) };
}

export function expectUser(user: Json, username?: string): void {
  expect(user).toEqual(userShape(username));
  expect(user.id.length).toBeGreaterThan(0);
}

/** A Room; `unread` is optional in the contract. */
export function expectRoom(room: Json, fields: Partial<Record<string, unknown>> = {}): void {
  expect(room).toEqual(
    expect.objectContaining({
      id: expect.any(String),
      name: expect.any(String),
      kind: expect.stringMatching(/^(public|private|direct)$/),
      memberCount: expect.any(Number),
      lastSeq: expect.any(Number),
      ...fields,
    }),
  );
  const allowed = ['id', 'name', 'kind', 'memberCount', 'lastSeq', 'unread', 'unreadMentions'];
  for (const key of Object.keys(room)) {
    if (!allowed.includes(key)) expect(`room has unexpected field ${key}`).toBe('');
  }
  expect(Number.isInteger(room.memberCount) && room.memberCount >= 0).toBe(true);
  expect(Number.isInteger(room.lastSeq) && room.lastSeq >= 0).toBe(true);
}

/** A Message as the contract shapes it. */
export function expectMessage(msg: Json, fields: Partial<Record<string, unknown>> = {}): void {
  expect(msg).toEqual(
    expect.objectContaining({
      id: expect.any(String),
      roomId: expect.any(String),
      seq: expect.any(Number),
      author: userShape(),
      body: expect.any(String),
      attachments: [],
      clientMsgId: expect.any(String),
      createdAt: expect.stringMatching(ISO_UTC),
      ...fields,
    }),
  );
  expect(Object.keys(msg.author).sort()).toEqual(['id', 'username']);
  expect(Number.isInteger(msg.seq) && msg.seq >= 1).toBe(true);
}

/** `message:send` that must succeed; returns the stored message. */
export async function send(
  socket: Socket,
  roomId: string,
  body: string,
  clientMsgId = newClientMsgId(),
  timeoutMs = 8000,
): Promise<Json> {
  const ack = await emitAck(socket, 'message:send', { roomId, clientMsgId, body }, timeoutMs);
  if (!ack?.ok) throw new Error(`message:send to ${roomId} failed: ${JSON.stringify(ack)}`);
  return ack.message;
}

/** `room:join` that must succeed. */
export async function join(socket: Socket, roomId: string, afterSeq?: number): Promise<Json> {
  const ack = await emitAck(socket, 'room:join', afterSeq === undefined ? { roomId } : { roomId, afterSeq });
  if (!ack?.ok) throw new Error(`room:join ${roomId} failed: ${JSON.stringify(ack)}`);
  return ack;
}

/** `POST /api/rooms` that must succeed; returns the room. */
export async function createRoom(
  baseUrl: string,
  token: string,
  name: string,
  kind: 'public' | 'private' = 'public',
  members?: string[],
): Promise<Json> {
  const res = await api(baseUrl).post('/api/rooms', members ? { name, kind, members } : { name, kind }, { token });
  if (res.status !== 201) throw new Error(`create room ${name}: ${res.status} ${res.text}`);
  return res.body.room;
}

/** `POST /api/rooms/:id/join` that must succeed. */
export async function joinHttp(baseUrl: string, token: string, roomId: string): Promise<Json> {
  const res = await api(baseUrl).post(`/api/rooms/${encodeURIComponent(roomId)}/join`, undefined, { token });
  if (res.status !== 200) throw new Error(`join ${roomId}: ${res.status} ${res.text}`);
  return res.body.room;
}
