import 'reflect-metadata';
import { ChatSubject, ErrorCode } from '@app/contracts';
import { DomainError } from '@app/errors';
import { RpcClient } from '@app/nats';
import { ChildProcess } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { JSONCodec, NatsConnection, connect } from 'nats';
import { infra } from '../../../test/harness/infra';

jest.setTimeout(30_000);

const codec = JSONCodec<unknown>();

// RpcClient against a real nats-server that is killed while a request is under way.
describe(RpcClient.name, () => {
  let server: ChildProcess;
  let port: number;
  let nc: NatsConnection;
  let responder: NatsConnection;

  beforeEach(async () => {
    port = await infra.provision.freePort();
    server = await infra.provision.startNats({ port });
    const opts = { servers: `nats://127.0.0.1:${port}`, maxReconnectAttempts: -1, reconnectTimeWait: 100 };
    [nc, responder] = await Promise.all([connect(opts), connect(opts)]);
  });

  afterEach(async () => {
    await Promise.all([nc?.close(), responder?.close()]);
    await infra.provision.stopProcess(server);
  });

  it('answers UNAVAILABLE at once when the connection drops under a request, not at its timeout', async () => {
    responder.subscribe(ChatSubject.History, { callback: () => undefined }); // takes it, never answers
    await responder.flush();
    const sut = new RpcClient(nc, 20_000);
    const t0 = Date.now();
    const pending = sut
      .request(ChatSubject.History, { actor: { id: 'u', username: 'u' }, roomId: 'r', limit: 1 })
      .catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 200));
    server.kill('SIGKILL');
    const err = await pending;
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(ErrorCode.UNAVAILABLE);
    expect(Date.now() - t0).toBeLessThan(10_000); // the request's own timeout is 20 s
  });

  it('serves requests again once the server is back, and fails the next drop at once too', async () => {
    // Answers as a Nest NATS handler does: {id, response}.
    responder.subscribe(ChatSubject.Health, {
      callback: (_e, m) =>
        m.respond(codec.encode({ id: (codec.decode(m.data) as { id: string }).id, response: { instance: 'x' } })),
    });
    responder.subscribe(ChatSubject.History, { callback: () => undefined });
    await responder.flush();
    const sut = new RpcClient(nc, 1_000);
    server.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    server = await infra.provision.startNats({ port });
    let reply: unknown;
    // While it is down: UNAVAILABLE at once (nothing is buffered); retried as a client would.
    for (let attempt = 0; attempt < 50 && reply === undefined; attempt++) {
      reply = await sut.request(ChatSubject.Health, {}).catch(() => new Promise((r) => setTimeout(r, 100)));
    }
    expect(reply).toEqual({ instance: 'x' });
    const slow = new RpcClient(nc, 20_000);
    const t0 = Date.now();
    const pending = slow
      .request(ChatSubject.History, { actor: { id: 'u', username: 'u' }, roomId: 'r', limit: 1 })
      .catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 200));
    server.kill('SIGKILL');
    expect(((await pending) as DomainError).code).toBe(ErrorCode.UNAVAILABLE);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('keeps nothing of a request once it is answered', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const body = 'x'.repeat(1024);
    responder.subscribe(ChatSubject.Health, {
      callback: (_e, m) =>
        m.respond(codec.encode({ id: (codec.decode(m.data) as { id: string }).id, response: { instance: body } })),
    });
    await responder.flush();
    const sut = new RpcClient(nc, 5_000);
    const batch = () =>
      Promise.all(Array.from({ length: 500 }, () => sut.request(ChatSubject.Health, {}))).then(() => undefined);
    await batch(); // warm: code, buffers, the subscription
    gc();
    const before = process.memoryUsage().heapUsed;
    const requests = 20_000;
    for (let i = 0; i < requests / 500; i++) await batch();
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    // Each answer is over 1 KiB: one kept per request would be 20 MiB and more.
    expect(grown / requests).toBeLessThan(100);
  });
});
