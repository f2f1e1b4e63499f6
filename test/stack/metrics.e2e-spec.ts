import { EventSubject } from '@app/contracts';
import { MongoClient } from 'mongodb';
import { JSONCodec, connect } from 'nats';
import { api, closeAllSockets, connectSocket, emitAck, newClientMsgId, waitFor } from '../harness/client';
import { METERED_ENV, Sample, meteredTraffic, samplesOf, scrape, sumOf } from '../harness/metrics';
import { Stack, startStack } from '../harness/stack';

jest.setTimeout(90_000);

// Every service exposes its own /metrics (the gateway on its port, auth, message and search on their
// ops port), with the named series carrying what the traffic below really did.
describe('metrics of every service', () => {
  let stack: Stack;
  /** What bob's socket was given, in order: seq and body. */
  let bobSaw: Array<{ seq: number; body: string }> = [];
  const scraped: Record<'gateway' | 'auth' | 'message' | 'search', Sample[]> = {
    gateway: [],
    auth: [],
    message: [],
    search: [],
  };

  beforeAll(async () => {
    stack = await startStack({ appEnv: METERED_ENV });
    const gw = stack.gatewayUrls[0];
    const { alice, room, sa, heard } = await meteredTraffic(gw, 'metrics');
    expect((await api(gw).get('/api/search?q=one', { token: alice.token })).status).toBe(200);
    // Refused at the edge: a handshake without a session, an event whose payload fails validation.
    await expect(connectSocket(gw, 'forged-token')).rejects.toHaveProperty('message', 'UNAUTHORIZED');
    const invalid = await emitAck(sa, 'message:send', { roomId: room.id });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    await forceGaps(room.id, heard.items[1], () => heard.items.map((m: { seq: number }) => m.seq));
    await waitFor(() => heard.items.length >= 5);
    bobSaw = heard.items.map((m: { seq: number; body: string }) => ({ seq: m.seq, body: m.body }));

    scraped.gateway = await scrape(gw);
    for (const name of ['auth', 'message', 'search'] as const) scraped[name] = await scrape(stack[name][0].opsUrl!);
  }, 120_000);

  afterAll(async () => {
    closeAllSockets();
    await stack?.stop();
  });

  /**
   * Gaps in the room's seqs as the gateway sees them. Seq 3 is written to the store behind its back
   * (no event), then seq 4's event arrives, claiming a createdAt of long ago: the gateway must hold
   * it, fill 3 from history, then deliver 4. Then seq 6's event, with nothing at 5 anywhere: 5 is
   * skipped after the wait.
   */
  async function forceGaps(
    roomId: string,
    second: { id: string; seq: number },
    delivered: () => number[],
  ): Promise<void> {
    expect(second.seq).toBe(2);
    const store = await MongoClient.connect(stack.mongoUrl);
    try {
      const messages = store.db().collection<{ _id: string; [field: string]: unknown }>('messages');
      const stored = await messages.findOne({ _id: second.id });
      expect(stored).not.toBeNull();
      const id3 = second.id.replace(/:2$/, ':3');
      await messages.insertOne({ ...stored!, _id: id3, seq: 3, clientMsgId: newClientMsgId(), body: 'from history' });
    } finally {
      await store.close();
    }
    const nc = await connect({ servers: stack.natsUrl });
    try {
      const codec = JSONCodec<unknown>();
      const event = (seq: number, body: string) => ({
        type: 'message.new',
        message: {
          ...second,
          id: second.id.replace(/:2$/, `:${seq}`),
          seq,
          body,
          clientMsgId: newClientMsgId(),
          createdAt: '2000-01-01T00:00:00.000Z',
        },
      });
      nc.publish(EventSubject.room(roomId), codec.encode(event(4, 'after the gap')));
      await waitFor(() => delivered().includes(4));
      nc.publish(EventSubject.room(roomId), codec.encode(event(6, 'after the skip')));
      await nc.flush();
    } finally {
      await nc.close();
    }
  }

  it('serves /healthz and /readyz on each service ops port, naming what readiness checked', async () => {
    const checked = { auth: ['nats', 'store'], message: ['nats', 'store'], search: ['index', 'nats'] };
    for (const [name, checks] of Object.entries(checked)) {
      const base = stack[name as keyof typeof checked][0].opsUrl!;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as { status: string; details: Record<string, { status: string }> };
      expect({ name, status: body.status, checks: Object.keys(body.details).sort() }).toEqual({
        name,
        status: 'ok',
        checks,
      });
    }
  });

  it("times each request at both ends: the gateway's asks and each service's answers", () => {
    const rpc = 'chat_rpc_duration_seconds_count';
    expect(sumOf(scraped.gateway, rpc, { side: 'client', subject: 'chat.message.send.v1', outcome: 'ok' })).toBe(2);
    expect(
      sumOf(scraped.gateway, rpc, { side: 'client', subject: 'chat.message.send.v1', outcome: 'RATE_LIMITED' }),
    ).toBe(1);
    expect(sumOf(scraped.message, rpc, { side: 'server', subject: 'chat.message.send.v1', outcome: 'ok' })).toBe(2);
    expect(
      sumOf(scraped.message, rpc, { side: 'server', subject: 'chat.message.send.v1', outcome: 'RATE_LIMITED' }),
    ).toBe(1);
    expect(sumOf(scraped.auth, rpc, { side: 'server', subject: 'auth.session.login.v1', outcome: 'ok' })).toBe(2);
    expect(sumOf(scraped.search, rpc, { side: 'server', subject: 'chat.search.query.v1', outcome: 'ok' })).toBe(1);
    expect(sumOf(scraped.gateway, rpc, { side: 'client', subject: 'chat.search.query.v1' })).toBe(1);
    // The search service asks the message service for the rooms the caller may read.
    expect(sumOf(scraped.search, rpc, { side: 'client', subject: 'chat.room.list.v1', outcome: 'ok' })).toBe(1);
    const sendSum = sumOf(scraped.message, 'chat_rpc_duration_seconds_sum', { subject: 'chat.message.send.v1' });
    expect(sendSum).toBeGreaterThan(0);
    expect(sendSum).toBeLessThan(30);
  });

  it('times store operations by collection and operation, in the services that own data', () => {
    const store = (samples: Sample[], collection: string) =>
      sumOf(samples, 'chat_store_op_duration_seconds_count', { collection });
    expect(store(scraped.message, 'messages')).toBeGreaterThan(0);
    expect(store(scraped.auth, 'usernames')).toBeGreaterThan(0);
    expect(store(scraped.auth, 'sessions')).toBeGreaterThan(0);
    const ops = new Set(samplesOf(scraped.message, 'chat_store_op_duration_seconds_count').map((s) => s.labels.op));
    expect(ops.size).toBeGreaterThan(1);
    expect(sumOf(scraped.gateway, 'chat_store_op_duration_seconds_count')).toBe(0);
  });

  it('counts every client socket event and handshake by outcome: ok or the code answered', () => {
    const events = (labels: Record<string, string>) => sumOf(scraped.gateway, 'chat_socket_events_total', labels);
    expect(events({ event: 'connect', outcome: 'ok' })).toBe(2);
    expect(events({ event: 'connect', outcome: 'UNAUTHORIZED' })).toBe(1);
    expect(events({ event: 'room:join', outcome: 'ok' })).toBe(2);
    expect(events({ event: 'message:send', outcome: 'ok' })).toBe(2);
    expect(events({ event: 'message:send', outcome: 'RATE_LIMITED' })).toBe(1);
    expect(events({ event: 'message:send', outcome: 'VALIDATION_FAILED' })).toBe(1);
    expect(events({})).toBe(9);
  });

  it("counts a gap filled from history and a seq skipped, and times fan-out from this gateway's receipt", () => {
    expect(bobSaw).toEqual([
      { seq: 1, body: 'one' },
      { seq: 2, body: 'two' },
      { seq: 3, body: 'from history' },
      { seq: 4, body: 'after the gap' },
      { seq: 6, body: 'after the skip' },
    ]);
    expect(sumOf(scraped.gateway, 'chat_seq_gap_fills_total')).toBe(1);
    expect(sumOf(scraped.gateway, 'chat_seq_skips_total')).toBe(1);
    // Timed: what arrived over NATS (1, 2, and 4 and 6 after their wait), not 3, read from history.
    expect(sumOf(scraped.gateway, 'chat_fanout_latency_seconds_count')).toBe(4);
    // 4 and 6 claim to be from the year 2000: timed from their arrival here, each took about the gap wait.
    const sum = sumOf(scraped.gateway, 'chat_fanout_latency_seconds_sum');
    expect(sum).toBeGreaterThan(0.4);
    expect(sum).toBeLessThan(10);
  });

  it('counts rate-limit refusals by limit, NATS reconnections, and the process defaults', () => {
    expect(sumOf(scraped.message, 'chat_rate_limit_refusals_total', { limit: 'send' })).toBe(1);
    for (const samples of Object.values(scraped)) {
      expect(samplesOf(samples, 'chat_nats_reconnects_total')).toEqual([
        { name: 'chat_nats_reconnects_total', labels: {}, value: 0 },
      ]);
      expect(sumOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    }
  });

  it("names every chat series by Prometheus's conventions, each with its help text", async () => {
    const urls = [stack.gatewayUrls[0], ...(['auth', 'message', 'search'] as const).map((s) => stack[s][0].opsUrl!)];
    const series = new Map<string, { type?: string; help?: string }>();
    for (const url of urls) {
      const text = await (await fetch(`${url}/metrics`)).text();
      for (const [, kind, name, rest] of text.matchAll(/^# (TYPE|HELP) (chat_\w+) (.*)$/gm)) {
        const entry = series.get(name) ?? {};
        if (kind === 'TYPE') entry.type = rest;
        else entry.help = rest;
        series.set(name, entry);
      }
    }
    expect(series.size).toBeGreaterThanOrEqual(12);
    for (const [name, { type, help }] of series) {
      // Counters end in _total, histograms in their base unit, gauges in neither; snake_case throughout.
      const suffix = { counter: /_total$/, histogram: /_seconds$/, gauge: /^(?!.*_total$)/ }[type ?? ''];
      expect({ name, type, named: suffix?.test(name) && /^[a-z][a-z0-9_]*$/.test(name), help: Boolean(help) }).toEqual({
        name,
        type: expect.stringMatching(/^(counter|histogram|gauge)$/),
        named: true,
        help: true,
      });
    }
  });
});
