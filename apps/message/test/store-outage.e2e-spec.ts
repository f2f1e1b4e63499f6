import 'reflect-metadata';
import { ChatSubject, ErrorCode } from '@app/contracts';
import { DomainError } from '@app/errors';
import { RpcClient } from '@app/nats';
import { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NatsConnection, connect } from 'nats';
import { AppProcess, spawnApp } from '../../../test/harness/app-process';
import { infra } from '../../../test/harness/infra';
import { waitForResponder } from '../../../test/harness/nats-wait';
import { aUser } from './message-service.fixture';
import { PrivateNats, startPrivateNats } from '../../../test/harness/infra';

jest.setTimeout(90_000);

/** A FerretDB of its own, so that it can be stopped under the service. */
describe('message service: database outage', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'msg-outage-'));
  const actor = aUser('outage');
  let port: number;
  let ferret: ChildProcess;
  let app: AppProcess;
  let nc: NatsConnection;
  let rpc: RpcClient;
  let nats: PrivateNats;

  const codeOf = async (p: Promise<unknown>) =>
    p.then(
      () => 'OK',
      (err: unknown) => (err instanceof DomainError ? err.code : String(err)),
    );

  beforeAll(async () => {
    nats = await startPrivateNats();
    port = await infra.provision.freePort();
    ferret = await infra.provision.startFerretdb({ port, dataDir });
    app = spawnApp('message', { NATS_URL: nats.url, MONGO_URL: `mongodb://127.0.0.1:${port}/outage` });
    await waitForResponder(nats.url, ChatSubject.Health);
    nc = await connect({ servers: nats.url });
    rpc = new RpcClient(nc, 30_000);
  });

  afterAll(async () => {
    await app?.stop();
    await infra.provision.stopProcess(ferret);
    await nc?.close();
    await nats?.stop();
  });

  it('answers UNAVAILABLE while the database is down, and carries on once it is back', async () => {
    const { room } = await rpc.request(ChatSubject.CreateRoom, { actor, name: 'o', kind: 'public', members: [] });
    const send = (clientMsgId: string) =>
      rpc.request(ChatSubject.SendMessage, { actor, roomId: room.id, clientMsgId, body: clientMsgId });
    expect((await send('before')).message.seq).toBe(1);

    await infra.provision.stopProcess(ferret);
    expect(await codeOf(send('during'))).toBe(ErrorCode.UNAVAILABLE);
    expect(await codeOf(rpc.request(ChatSubject.Health, {}))).toBe(ErrorCode.UNAVAILABLE);

    ferret = await infra.provision.startFerretdb({ port, dataDir });
    let health = 'UNAVAILABLE';
    for (let i = 0; i < 60 && health !== 'OK'; i++) {
      health = await codeOf(rpc.request(ChatSubject.Health, {}));
      if (health !== 'OK') await new Promise((r) => setTimeout(r, 500));
    }
    expect(health).toBe('OK');
    // The failed send may or may not have reached the database: its retry settles it either way.
    const retried = await send('during');
    const after = await send('after');
    expect(after.message.seq).toBe(retried.message.seq + 1);
    const history = await rpc.request(ChatSubject.History, { actor, roomId: room.id, limit: 10 });
    expect(history.messages.map((m) => m.seq)).toEqual(Array.from({ length: after.message.seq }, (_, i) => i + 1));
    expect(app.child.exitCode).toBeNull();
  });
});
