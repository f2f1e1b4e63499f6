import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { IncomingMessage, Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { api, closeAllSockets, connectSocket, registerAndLogin, waitFor } from '../harness/client';
import { createRoom, join, send } from '../harness/contract';
import { infra } from '../harness/infra';
import { Stack, startStack } from '../harness/stack';

jest.setTimeout(90_000);

interface ExportedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Record<string, unknown>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpExport {
  resourceSpans: {
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: {
      spans: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        attributes?: OtlpAttribute[];
      }[];
    }[];
  }[];
}

const valueOf = (v: OtlpValue) => v.stringValue ?? v.intValue;
const attributesOf = (list: OtlpAttribute[] = []) => Object.fromEntries(list.map((a) => [a.key, valueOf(a.value)]));

/** An OTLP/HTTP (JSON) receiver: what the services' exporters post to /v1/traces, as spans. */
async function startReceiver(): Promise<{
  url: string;
  spans: ExportedSpan[];
  posts: { contentType: string; bytes: number }[];
  close(): Promise<void>;
}> {
  const spans: ExportedSpan[] = [];
  const posts: { contentType: string; bytes: number }[] = [];
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString();
  };
  const server: Server = createServer((req, res) => {
    void read(req).then((body) => {
      if (req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      posts.push({ contentType: req.headers['content-type'] ?? '', bytes: body.length });
      if (!(req.headers['content-type'] ?? '').includes('json')) {
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
        return;
      }
      for (const rs of (JSON.parse(body) as OtlpExport).resourceSpans) {
        const service = String(attributesOf(rs.resource.attributes)['service.name']);
        for (const ss of rs.scopeSpans) {
          for (const s of ss.spans) {
            spans.push({
              service,
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId || undefined,
              name: s.name,
              attributes: attributesOf(s.attributes),
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    posts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// With an OTLP endpoint configured, one send is one trace: the gateway's socket event and its NATS
// request, the message service serving it and its store calls, and the room event heard by the
// gateway and indexed by search, linked parent to child through the NATS headers.
describe('traces over OTLP', () => {
  let stack: Stack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    stack = await startStack({
      // JSON bodies, which this receiver reads (the default is protobuf: checked below).
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
    });
  }, 120_000);

  afterAll(async () => {
    closeAllSockets();
    await stack?.stop();
    await receiver?.close();
  });

  const inTrace = (traceId: string) => receiver.spans.filter((s) => s.traceId === traceId);
  const one = (spans: ExportedSpan[], service: string, name: string | RegExp) => {
    const found = spans.filter(
      (s) => s.service === service && (typeof name === 'string' ? s.name === name : name.test(s.name)),
    );
    if (found.length === 0)
      throw new Error(`no ${service} span ${String(name)} in ${JSON.stringify(spans.map((s) => [s.service, s.name]))}`);
    return found[0];
  };

  it('follows one send from the socket event through the message service and the store to the gateway and search', async () => {
    const gw = stack.gatewayUrls[0];
    const alice = await registerAndLogin(gw, 'trace_a');
    const room = await createRoom(gw, alice.token, 'traced');
    const socket = await connectSocket(gw, alice.token);
    await join(socket, room.id);
    const sent = await send(socket, room.id, 'one traced message');

    let traceId = '';
    await waitFor(() => {
      const event = receiver.spans.find((s) => s.service === 'gateway' && s.name === 'socket message:send');
      traceId = event?.traceId ?? '';
      const services = new Set(inTrace(traceId).map((s) => s.service));
      return ['gateway', 'message', 'search'].every((s) => services.has(s));
    }, 15_000);
    const spans = inTrace(traceId);

    const event = one(spans, 'gateway', 'socket message:send');
    expect(event.parentSpanId).toBeUndefined();
    const asked = one(spans, 'gateway', 'request chat.message.send.v1');
    expect(asked.parentSpanId).toBe(event.spanId);
    const served = one(spans, 'message', 'process chat.message.send.v1');
    expect(served.parentSpanId).toBe(asked.spanId);
    expect(served.attributes).toMatchObject({
      'chat.request_id': event.attributes['chat.request_id'],
      'chat.outcome': 'ok',
    });
    // The store calls of the send, children of the message service's span (or of each other's turn).
    const stored = one(spans, 'message', /^insertMany messages$/);
    expect(spans.map((s) => s.spanId)).toContain(stored.parentSpanId);
    expect(stored.attributes).toMatchObject({ 'db.system.name': 'mongodb', 'db.collection.name': 'messages' });
    // The room event, from the message service's span to every listener.
    const heard = one(spans, 'gateway', 'receive chat.room.*.events.v1');
    const indexed = one(spans, 'search', 'receive chat.room.*.events.v1');
    expect(heard.parentSpanId).toBe(served.spanId);
    expect(indexed.parentSpanId).toBe(served.spanId);
    expect(sent.body).toBe('one traced message');
  });

  it("continues a client's trace (traceparent) over HTTP into the service that answers", async () => {
    const gw = stack.gatewayUrls[0];
    const alice = await registerAndLogin(gw, 'trace_b');
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await api(gw).get('/api/rooms', {
      token: alice.token,
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(res.status).toBe(200);
    // Each process exports on its own schedule: wait for both ends.
    await waitFor(() => {
      const services = inTrace(traceId).map((s) => `${s.service} ${s.name}`);
      return services.includes('gateway GET /api/rooms') && services.some((s) => s.startsWith('message process'));
    }, 15_000);
    const http = one(inTrace(traceId), 'gateway', 'GET /api/rooms');
    expect(http.parentSpanId).toBe('00f067aa0ba902b7');
    expect(http.attributes).toMatchObject({ 'http.route': '/api/rooms', 'http.response.status_code': 200 });
    expect(http.attributes['chat.request_id']).toBe(res.headers.get('x-request-id'));
    const served = one(inTrace(traceId), 'message', /^process chat\./);
    expect(inTrace(traceId).map((s) => s.spanId)).toContain(served.parentSpanId);
  });

  it('traces a socket handshake into auth, which verifies its token', async () => {
    const gw = stack.gatewayUrls[0];
    const carol = await registerAndLogin(gw, 'trace_c'); // a token the gateway has not verified yet
    await connectSocket(gw, carol.token);
    const verified = () =>
      receiver.spans.find((s) => s.service === 'auth' && s.name === 'process auth.session.verify.v1' && handshakeOf(s));
    const handshakeOf = (s: ExportedSpan) =>
      inTrace(s.traceId).find((h) => h.service === 'gateway' && h.name === 'socket handshake');
    await waitFor(() => verified() !== undefined, 15_000);
    const served = verified()!;
    const handshake = handshakeOf(served)!;
    const asked = one(inTrace(served.traceId), 'gateway', 'request auth.session.verify.v1');
    expect(asked.parentSpanId).toBe(handshake.spanId);
    expect(served.parentSpanId).toBe(asked.spanId);
  });

  it('sends protobuf unless told http/json', async () => {
    const probe = `
      require('reflect-metadata');
      const { loadConfig, BaseConfig } = require('./dist/libs/config/src');
      const t = require('./dist/libs/tracing/src');
      t.startTracing('probe', loadConfig(BaseConfig));
      t.endSpan(t.startSpan('probe span', t.SpanKind.INTERNAL));
      t.shutdownTracing().then(() => process.stdout.write('sent'));`;
    const before = receiver.posts.length;
    // Not execFileSync: the receiver answers from this process's event loop.
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', probe], {
      cwd: infra.provision.ROOT,
      env: { PATH: process.env.PATH ?? '', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
    });
    expect(stdout).toBe('sent');
    // The stack's services (http/json) go on posting meanwhile: the probe's is the one that is not JSON.
    const probes = receiver.posts.slice(before).filter((p) => p.contentType !== 'application/json');
    expect(probes).toEqual([{ contentType: 'application/x-protobuf', bytes: expect.any(Number) }]);
  });

  it('loads no OpenTelemetry SDK unless an exporter is configured', () => {
    // A service's boot path as built: config, tracing start, the NATS library; then what got loaded.
    const probe = `
      require('reflect-metadata');
      const { loadConfig, BaseConfig } = require('./dist/libs/config/src');
      const { startTracing } = require('./dist/libs/tracing/src');
      require('./dist/libs/nats/src');
      const on = startTracing('probe', loadConfig(BaseConfig));
      const sdk = Object.keys(require.cache).filter((k) => /sdk-trace|exporter-trace/.test(k)).length;
      process.stdout.write(JSON.stringify({ on, sdk }));`;
    const run = (env: Record<string, string>) =>
      JSON.parse(
        execFileSync(process.execPath, ['-e', probe], {
          cwd: infra.provision.ROOT,
          env: { PATH: process.env.PATH ?? '', ...env },
        }).toString(),
      ) as { on: boolean; sdk: number };
    expect(run({})).toEqual({ on: false, sdk: 0 });
    expect(run({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url })).toEqual({
      on: false,
      sdk: 0,
    });
    expect(run({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url })).toEqual({ on: true, sdk: expect.any(Number) });
    expect(run({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }).sdk).toBeGreaterThan(0);
  });
});
