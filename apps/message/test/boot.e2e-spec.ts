import 'reflect-metadata';
import { spawnApp } from '../../../test/harness/app-process';
import { freshMongoUrl, testNatsUrl } from '../../../test/harness/infra';

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
