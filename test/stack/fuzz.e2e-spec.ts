import type { Socket } from 'socket.io-client';
import {
  api,
  closeAllSockets,
  collect,
  connectSocket,
  emitAck,
  newClientMsgId,
  rawHttp,
  registerAndLogin,
  type Json,
  type Session,
} from '../harness/client';
import { createRoom, send } from '../harness/contract';
import { startStack, type Stack } from '../harness/stack';
import { ERROR_CODES, hostileCase, type Case, type Known } from '../fuzz/hostile';

// Seeded hostile inputs over every route and event of the contract, spread over two gateways:
// nothing answers 5xx, every error has the contract's shape, every socket event is answered, no
// process dies, and nothing already stored is lost or changed. FUZZ_CASES and FUZZ_SEED pick the
// run (`npm run test:fuzz -- --cases 36000 --seed 7`); `npm test` runs a CI-sized one.
const CASES = Number(process.env.FUZZ_CASES ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const CONCURRENCY = 8;
/** Internal detail that must never reach a client in an error (inputs may be echoed, so no operators). */
const LEAK = /\bat .+\.(js|ts):\d+|node_modules|MongoServerError|MongoError|E11000|BSON/;
/** Socket.IO closes a connection whose frame exceeds the gateway's limit (256 KiB): not a failure. */
const FRAME_LIMIT = 256 * 1024;

jest.setTimeout(Math.max(300_000, CASES * 100));

interface Failure {
  index: number;
  what: string;
  got: string;
}

const describeCase = (c: Case): string =>
  c.kind === 'http'
    ? `${c.method} ${c.path.slice(0, 200)} ${JSON.stringify(c.headers).slice(0, 200)} body=${String(c.body ?? '').slice(0, 200)}`
    : `${c.event} ${JSON.stringify(c.args, (_k, v: unknown) => (typeof v === 'string' ? v.slice(0, 50) : v)).slice(0, 300)}`;

describe(`hostile input (${CASES} cases, seed ${SEED})`, () => {
  let stack: Stack;
  let fuzzer: Session;
  let observer: Session;
  let known: Known;
  const stored: Json[] = [];

  beforeAll(async () => {
    stack = await startStack({ gateways: 2 });
    const gw = stack.gatewayUrls;
    fuzzer = await registerAndLogin(gw[0], 'fuzzer');
    observer = await registerAndLogin(gw[1], 'observer');
    const room = await createRoom(gw[1], observer.token, 'fuzz-room', 'public');
    const other = await createRoom(gw[1], observer.token, 'fuzz-private', 'private');
    expect((await api(gw[0]).post(`/api/rooms/${room.id}/join`, undefined, { token: fuzzer.token })).status).toBe(200);
    const so = await connectSocket(gw[1], observer.token);
    for (let i = 1; i <= 5; i++) stored.push(await send(so, room.id, `kept ${i}`));
    const sf = await connectSocket(gw[0], fuzzer.token);
    const own = await send(sf, room.id, 'the fuzzer’s own message');
    stored.push(own);
    closeAllSockets();
    known = {
      roomId: room.id,
      otherRoomId: other.id,
      messageId: own.id,
      username: observer.user.username,
      token: fuzzer.token,
    };
  }, 120_000);

  afterAll(async () => {
    closeAllSockets();
    await stack?.stop();
  });

  it('answers every case in the contract’s shape, never 5xx, and every socket event with an ack', async () => {
    const gw = stack.gatewayUrls;
    const sockets: Socket[] = [];
    const socketOf = async (i: number): Promise<Socket> => {
      if (!sockets[i]?.connected) sockets[i] = await connectSocket(gw[i], fuzzer.token, 10_000);
      return sockets[i];
    };
    const failures: Failure[] = [];
    const seen = new Map<string, number>();
    const count = (key: string) => seen.set(key, (seen.get(key) ?? 0) + 1);

    const runCase = async (index: number): Promise<void> => {
      const c = hostileCase(SEED, index, known);
      const fail = (got: string) => failures.push({ index, what: describeCase(c), got });
      if (c.kind === 'http') {
        let res: { status: number; body: Json };
        try {
          res = await rawHttp(gw[index % 2], c.method, c.path, { headers: c.headers, body: c.body });
        } catch (err) {
          return void fail(`no answer: ${(err as Error).message}`);
        }
        count(`http ${res.status}`);
        if (res.status >= 500) return void fail(`${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        if (res.status >= 400 && LEAK.test(JSON.stringify(res.body))) {
          return void fail(`leaks internals: ${JSON.stringify(res.body).slice(0, 300)}`);
        }
        if (res.status >= 400 && c.path.startsWith('/api')) {
          const e = res.body?.error;
          if (!ERROR_CODES.has(e?.code) || typeof e?.message !== 'string' || e.message === '') {
            fail(`${res.status} not in the contract's error shape: ${JSON.stringify(res.body).slice(0, 300)}`);
          }
        }
        return;
      }
      // A frame over the limit closes its connection: sent on a socket of its own, so that it
      // does not fail the cases in flight beside it.
      const size = Buffer.byteLength(JSON.stringify(c.args) ?? '');
      const oversize = size > FRAME_LIMIT / 2;
      const socket = oversize ? await connectSocket(gw[index % 2], fuzzer.token, 10_000) : await socketOf(index % 2);
      try {
        const ack: Json = await socket.timeout(10_000).emitWithAck(c.event, ...c.args);
        count(`ack ${ack?.ok === true ? 'ok' : (ack?.error?.code ?? 'malformed')}`);
        if (ack?.ok === true) return;
        if (ack?.ok !== false || !ERROR_CODES.has(ack?.error?.code) || typeof ack?.error?.message !== 'string') {
          return void fail(`ack not in the contract's shape: ${JSON.stringify(ack).slice(0, 300)}`);
        }
        if (ack.error.code === 'INTERNAL' || ack.error.code === 'UNAVAILABLE')
          return void fail(`ack ${ack.error.code}`);
        if (LEAK.test(JSON.stringify(ack))) fail(`ack leaks internals: ${JSON.stringify(ack).slice(0, 300)}`);
      } catch (err) {
        if (size > FRAME_LIMIT) return void count('frame over the limit');
        fail(`no ack: ${(err as Error).message} (socket ${socket.connected ? 'connected' : 'disconnected'})`);
      } finally {
        if (oversize) socket.close();
      }
    };

    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CASES) await runCase(next++);
      }),
    );
    for (const s of sockets) s?.close();

    const report = failures
      .slice(0, 10)
      .map((f) => `#${f.index}: ${f.what}\n    → ${f.got}`)
      .join('\n');
    expect({ failures: failures.length, first: report }).toEqual({ failures: 0, first: '' });
    // The run really exercised both sides: refusals and successes on HTTP and sockets.
    expect([...seen.keys()].some((k) => k.startsWith('http 4'))).toBe(true);
    expect([...seen.keys()].some((k) => k.startsWith('http 2'))).toBe(true);
    expect(seen.get('ack VALIDATION_FAILED') ?? 0).toBeGreaterThan(0);
    expect(seen.get('ack ok') ?? 0).toBeGreaterThan(0);
  });

  it('keeps every process up and ready, and every stored message as it was', async () => {
    const gw = stack.gatewayUrls;
    for (const p of [...stack.auth, ...stack.message, ...stack.gateways]) {
      expect({ app: p.name, exit: p.child.exitCode, signal: p.child.signalCode }).toEqual({
        app: p.name,
        exit: null,
        signal: null,
      });
    }
    for (const url of gw) expect((await api(url).get('/readyz')).status).toBe(200);

    // Kept messages are unchanged (the fuzzer may have edited or deleted only its own), seqs gapless.
    const page = await api(gw[0]).get(`/api/rooms/${known.roomId}/messages?after=0&limit=100`, {
      token: observer.token,
    });
    expect(page.status).toBe(200);
    const history: Json[] = page.body.messages;
    const seqs = history.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    for (const m of stored.slice(0, 5)) expect(history.find((h) => h.id === m.id)).toEqual(m);

    // Nothing was polluted: a new user still registers, joins, sends and is delivered.
    const late = await registerAndLogin(gw[1], 'late');
    expect(late.user).not.toHaveProperty('polluted');
    const so = await connectSocket(gw[0], observer.token);
    expect((await emitAck(so, 'room:join', { roomId: known.roomId })).ok).toBe(true);
    const onObserver = collect(so, 'message:new');
    const sl = await connectSocket(gw[1], late.token);
    expect((await emitAck(sl, 'room:join', { roomId: known.roomId })).ok).toBe(true);
    const ack = await emitAck(sl, 'message:send', {
      roomId: known.roomId,
      clientMsgId: newClientMsgId(),
      body: 'after',
    });
    expect(ack).toMatchObject({ ok: true, message: { body: 'after' } });
    expect(ack.message).not.toHaveProperty('polluted');
    await onObserver.until((items) => items.some((m: Json) => m.id === ack.message.id));
  });
});
