import { rmSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { connect } from 'nats';
import type { Socket } from 'socket.io-client';
import {
  api,
  closeAllSockets,
  connectSocket,
  emitAck,
  newClientMsgId,
  registerAndLogin,
  sleep,
  waitFor,
  type Json,
  type Session,
} from '../harness/client';
import { createRoom, expectError, join } from '../harness/contract';
import { startStack, type Stack } from '../harness/stack';

// GET /api/search through the real stack: the search service's index fed by JetStream.

// Waits on the index, expiry sweeps and a second gateway: generous on a loaded 2-core machine.
jest.setTimeout(60_000);
describe('search', () => {
  let stack: Stack;
  let alice: Session;
  let bob: Session;
  let carol: Session;
  let publicId: string;
  let privateId: string;
  let sa: Socket;
  const word = `zq${Date.now().toString(36)}`;

  const search = (who: Session, params: Record<string, string>, gw = 1) =>
    api(stack.gatewayUrls[gw]).get(`/api/search?${new URLSearchParams(params).toString()}`, { token: who.token });
  const ids = (res: Json): string[] => res.body.results.map((r: Json) => r.message.id);
  const send = async (roomId: string, body: string): Promise<Json> => {
    const ack = await emitAck(sa, 'message:send', { roomId, clientMsgId: newClientMsgId(), body });
    expect(ack.ok).toBe(true);
    return ack.message;
  };
  /** Waits until the index has caught up with `messageId` for this user's query. */
  const indexed = (who: Session, q: string, messageId: string) =>
    waitFor(async () => ids(await search(who, { q })).includes(messageId), 5000, `${messageId} searchable`);

  beforeAll(async () => {
    stack = await startStack({ gateways: 2 });
    const [g0, g1] = stack.gatewayUrls;
    [alice, bob, carol] = await Promise.all([
      registerAndLogin(g0, 'alice'),
      registerAndLogin(g1, 'bob'),
      registerAndLogin(g1, 'carol'),
    ]);
    publicId = (await createRoom(g0, alice.token, 'search-public', 'public')).id;
    privateId = (await createRoom(g0, alice.token, 'search-private', 'private', [bob.user.username])).id;
    sa = await connectSocket(g0, alice.token);
    await join(sa, publicId);
    await join(sa, privateId);
  }, 120_000);

  afterAll(async () => {
    closeAllSockets();
    await stack?.stop();
  });

  it('finds a new message, in any case and without diacritics, with highlights', async () => {
    const m = await send(publicId, `Le Café ${word} est OUVERT`);
    // How soon is measured by `npm run bench:search` (freshness), not by a timed test.
    await indexed(carol, `cafe ${word.toUpperCase()}`, m.id);
    const res = await search(carol, { q: `ouvert café ${word}` });
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toEqual({ message: m, highlights: expect.arrayContaining(['Café', word, 'OUVERT']) });
  });

  it('searches only rooms the caller may read now, and narrows by room and author', async () => {
    const secret = await send(privateId, `secret ${word} plan`);
    await indexed(bob, word, secret.id);
    expect(ids(await search(carol, { q: `secret ${word}` }))).toEqual([]);
    expect(ids(await search(carol, { q: `secret ${word}`, roomId: privateId }))).toEqual([]);
    expect(ids(await search(bob, { q: word, roomId: privateId }))).toEqual([secret.id]);
    expect(ids(await search(bob, { q: `${word} from:${alice.user.username.toUpperCase()}` }))).toContain(secret.id);
    expect(ids(await search(bob, { q: `${word} from:${carol.user.username}` }))).toEqual([]);

    // Removed from the room: out of scope at once.
    const leave = await api(stack.gatewayUrls[1]).post(`/api/rooms/${privateId}/leave`, undefined, {
      token: bob.token,
    });
    expect(leave.status).toBe(204);
    expect(ids(await search(bob, { q: `secret ${word}` }))).toEqual([]);
  });

  it('matches "quoted phrases" in order, and pages newest first with nextBefore', async () => {
    const tag = `pg${word}`;
    const sent: Json[] = [];
    for (let i = 0; i < 5; i++) sent.push(await send(publicId, `${tag} brown fox ${i}`));
    await send(publicId, `${tag} fox brown`);
    await indexed(carol, tag, sent[4].id);
    await waitFor(async () => ids(await search(carol, { q: tag })).length === 6, 5000, 'all six indexed');
    expect(ids(await search(carol, { q: `"brown fox" ${tag}` }))).toHaveLength(5);

    const first = await search(carol, { q: `"brown fox" ${tag}`, limit: '2' });
    expect(ids(first)).toEqual([sent[4].id, sent[3].id]);
    expect(typeof first.body.nextBefore).toBe('string');
    const second = await search(carol, { q: `"brown fox" ${tag}`, limit: '2', before: first.body.nextBefore });
    expect(ids(second)).toEqual([sent[2].id, sent[1].id]);
    const last = await search(carol, { q: `"brown fox" ${tag}`, limit: '2', before: second.body.nextBefore });
    expect(ids(last)).toEqual([sent[0].id]);
    expect(last.body).not.toHaveProperty('nextBefore');
  });

  it('reflects edits and deletes', async () => {
    const m = await send(publicId, `before${word}`);
    await indexed(carol, `before${word}`, m.id);
    expect((await emitAck(sa, 'message:edit', { messageId: m.id, body: `after${word}` })).ok).toBe(true);
    await waitFor(async () => ids(await search(carol, { q: `after${word}` })).includes(m.id), 5000, 'edit indexed');
    expect(ids(await search(carol, { q: `before${word}` }))).toEqual([]);
    expect((await search(carol, { q: `after${word}` })).body.results[0].message.body).toBe(`after${word}`);
    expect((await emitAck(sa, 'message:delete', { messageId: m.id })).ok).toBe(true);
    await waitFor(async () => ids(await search(carol, { q: `after${word}` })).length === 0, 5000, 'delete indexed');
  });

  it('refuses bad queries with 400 and needs a session', async () => {
    const bad: Record<string, string>[] = [
      {},
      { q: '' },
      { q: 'x'.repeat(201) },
      { q: 'x', limit: '0' },
      { q: 'x', limit: '51' },
      { q: 'x', before: '!' },
      { q: 'x', before: 'YWJj' },
      { q: '!!!' },
    ];
    for (const params of bad) {
      expectError(await search(carol, params), 400, 'VALIDATION_FAILED');
    }
    expectError(await api(stack.gatewayUrls[0]).get('/api/search?q=x'), 401, 'UNAUTHORIZED');
  });

  it('catches up after the search process is killed: nothing sent meanwhile is lost from the index', async () => {
    await stack.killSearch(0);
    const during = await send(publicId, `during${word} outage`);
    expectError(await search(carol, { q: `during${word}` }), 503, 'UNAVAILABLE');
    await stack.startSearch(0);
    await indexed(carol, `during${word}`, during.id);
    // Nothing indexed twice after the restart (the events since the last ack came again).
    await sleep(300);
    const all = ids(await search(carol, { q: word, limit: '50' }));
    expect(new Set(all).size).toBe(all.length);
  });

  it('rebuilds a lost index from the store, when the stream no longer holds the events', async () => {
    const kept = await send(publicId, `kept${word} original`);
    expect((await emitAck(sa, 'message:edit', { messageId: kept.id, body: `kept${word} edited` })).ok).toBe(true);
    const gone = await send(publicId, `gone${word}`);
    expect((await emitAck(sa, 'message:delete', { messageId: gone.id })).ok).toBe(true);
    await waitFor(async () => ids(await search(carol, { q: `kept${word} edited` })).length === 1, 5000, 'indexed');

    await stack.killSearch(0);
    rmSync(joinPath(stack.searchDataDir, 'search-0.sqlite'), { force: true });
    for (const suffix of ['-wal', '-shm'])
      rmSync(joinPath(stack.searchDataDir, `search-0.sqlite${suffix}`), { force: true });
    // The stream's retention passed: its events are gone, and the consumer with them.
    const nc = await connect({ servers: stack.natsUrl });
    const jsm = await nc.jetstreamManager();
    await jsm.streams.purge('CHAT_ROOM_EVENTS');
    await jsm.consumers.delete('CHAT_ROOM_EVENTS', 'search-search-0');
    await nc.close();

    await stack.startSearch(0);
    await waitFor(async () => ids(await search(carol, { q: `kept${word}` })).includes(kept.id), 20_000, 'rebuilt');
    const res = await search(carol, { q: `kept${word}` });
    expect(res.body.results[0].message.body).toBe(`kept${word} edited`);
    expect(ids(await search(carol, { q: `gone${word}` }))).toEqual([]);
    // Private rooms keep their scope after a rebuild; messages sent after it are indexed as before.
    expect(ids(await search(carol, { q: `secret ${word}` }))).toEqual([]);
    const after = await send(publicId, `after${word} rebuild`);
    await indexed(carol, `after${word}`, after.id);
  });

  it('repairs its consumption when the stream and its consumer vanish (NATS back without its store)', async () => {
    const nc = await connect({ servers: stack.natsUrl });
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete('CHAT_ROOM_EVENTS');
    await nc.close();
    // The first sends may fall before the stream is back; a later one is indexed.
    const deadline = Date.now() + 20_000;
    let found = false;
    for (let i = 0; !found && Date.now() < deadline; i++) {
      const m = await send(publicId, `again${word}x${i}`);
      await sleep(500);
      found = ids(await search(carol, { q: `again${word}x${i}` })).includes(m.id);
    }
    expect(found).toBe(true);
  });
});
