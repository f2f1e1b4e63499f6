import 'reflect-metadata';
import { ChatSubject } from '@app/contracts';
import { mongo } from 'mongoose';
import { spawnApp } from '../../../test/harness/app-process';
import { freshMongoUrl, startPrivateNats, testNatsUrl } from '../../../test/harness/infra';
import { waitForResponder } from '../../../test/harness/nats-wait';

jest.setTimeout(30_000);

describe('message service: boot', () => {
  it.each([
    ['MONGO_URL', { NATS_URL: testNatsUrl(), MONGO_URL: 'http://example.com/db' }],
    ['NATS_URL', { NATS_URL: 'localhost', MONGO_URL: freshMongoUrl('boot') }],
    ['LOG_LEVEL', { NATS_URL: testNatsUrl(), MONGO_URL: freshMongoUrl('boot'), LOG_LEVEL: 'loud' }],
    ['RPC_TIMEOUT_MS', { NATS_URL: testNatsUrl(), MONGO_URL: freshMongoUrl('boot'), RPC_TIMEOUT_MS: 'soon' }],
  ])('stops with exit code 1 and names %s when it is invalid', async (variable, env) => {
    const app = spawnApp('message', env);
    const code = await new Promise<number | null>((resolve) => app.child.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(app.output()).toContain(variable);
    expect(app.output()).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });
});

describe('message service: indexes', () => {
  it('stops with exit code 1 when a unique index it declares exists but is not unique', async () => {
    const mongoUrl = freshMongoUrl('boot');
    const client = await mongo.MongoClient.connect(mongoUrl);
    try {
      // The name of the unique index on rooms.key, held by a plain index: FerretDB keeps it and answers ok.
      await client.db().collection('rooms').createIndex({ key: 1 }, { name: 'key_1' });
    } finally {
      await client.close();
    }
    const app = spawnApp('message', { NATS_URL: testNatsUrl(), MONGO_URL: mongoUrl, LOG_LEVEL: 'error' });
    const code = await Promise.race([
      new Promise<number | null>((resolve) => app.child.once('exit', (c) => resolve(c))),
      new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 20_000)),
    ]);
    if (code === 'still running') await app.kill();
    expect(code).toBe(1);
    expect(app.output()).toContain('must be unique');
  });
});

describe('message service: shutdown', () => {
  it('stops promptly on SIGTERM, without being killed', async () => {
    const nats = await startPrivateNats();
    const env = { NATS_URL: nats.url, MONGO_URL: freshMongoUrl('stop') };
    const app = spawnApp('message', env);
    await waitForResponder(env.NATS_URL, ChatSubject.Health);
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      app.child.once('exit', (code, signal) => resolve(signal ?? code)),
    );
    const started = Date.now();
    app.child.kill('SIGTERM');
    const how = await exited;
    expect(Date.now() - started).toBeLessThan(5000);
    expect([0, 'SIGTERM']).toContain(how);
    await nats.stop();
  });
});
