// deploy/healthcheck.js, the containers' health probe, against a real nats-server and a real
// HTTP listener: healthy only on the right answer, unhealthy (exit 1) on anything else.
import { execFile } from 'node:child_process';
import { AddressInfo } from 'node:net';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { JSONCodec, NatsConnection, connect } from 'nats';
import { testNatsUrl } from '../harness/infra';

const SCRIPT = join(__dirname, '..', '..', 'deploy', 'healthcheck.js');
interface Packet {
  id: string;
  pattern?: string;
  data?: unknown;
}
const codec = JSONCodec<unknown>();

function probe(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SCRIPT],
      { env: { PATH: process.env.PATH ?? '', HEALTHCHECK_TIMEOUT_MS: '1500', ...env }, timeout: 10_000 },
      (err, _stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });
}

describe('deploy/healthcheck.js', () => {
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await connect({ servers: testNatsUrl() });
  });
  afterAll(async () => {
    await nc.close();
  });

  /** A stand-in responder on a health subject, answering as Nest's NATS transport does. */
  function responder(subject: string, reply: (packet: Packet) => unknown) {
    const sub = nc.subscribe(subject, {
      queue: subject,
      callback: (_err, msg) => msg.respond(codec.encode(reply(codec.decode(msg.data) as Packet))),
    });
    return { stop: () => sub.unsubscribe(), flush: () => nc.flush() };
  }

  it.each([
    ['auth', 'auth.health.v1'],
    ['message', 'chat.health.v1'],
  ])('reports %s healthy when %s answers ok in the Nest packet format', async (app, subject) => {
    const seen: Packet[] = [];
    const r = responder(subject, (packet) => {
      seen.push(packet);
      return { id: packet.id, response: { status: 'ok', instance: 'x' }, isDisposed: true };
    });
    await r.flush();
    const result = await probe({ APP: app, NATS_URL: testNatsUrl() });
    r.stop();
    expect(result).toEqual({ code: 0, stderr: '' });
    expect(seen).toEqual([{ pattern: subject, data: {}, id: expect.any(String) }]);
  });

  it('reports unhealthy when the service answers an error', async () => {
    const r = responder('chat.health.v1', (p) => ({ id: p.id, err: { code: 'UNAVAILABLE', message: 'db down' } }));
    await r.flush();
    const result = await probe({ APP: 'message', NATS_URL: testNatsUrl() });
    r.stop();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('UNAVAILABLE');
  });

  it('reports unhealthy when no service answers', async () => {
    const result = await probe({ APP: 'auth', NATS_URL: testNatsUrl() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('auth');
  });

  describe('gateway', () => {
    let server: Server;
    let status = 200;
    let port = 0;

    beforeAll(async () => {
      server = createServer((req, res) => {
        res.statusCode = req.url === '/healthz' ? status : 404;
        res.end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('is healthy when GET /healthz answers 200 on PORT', async () => {
      status = 200;
      expect(await probe({ APP: 'gateway', HOST: '0.0.0.0', PORT: String(port) })).toEqual({ code: 0, stderr: '' });
    });

    it('is unhealthy when GET /healthz answers otherwise', async () => {
      status = 503;
      const result = await probe({ APP: 'gateway', HOST: '0.0.0.0', PORT: String(port) });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('503');
    });
  });
});
