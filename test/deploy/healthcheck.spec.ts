// deploy/healthcheck.js, the containers' health probe: for a service, against a real search process
// and its ops port (healthy while its NATS and index answer, not once NATS is gone); for the gateway,
// against a real HTTP listener. Healthy only on the right answer, unhealthy (exit 1) on anything else.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, spawnApp } from '../harness/app-process';
import { PrivateNats, opsPort, startPrivateNats } from '../harness/infra';

jest.setTimeout(60_000);

const SCRIPT = join(__dirname, '..', '..', 'deploy', 'healthcheck.js');

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

async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('deploy/healthcheck.js', () => {
  describe('a service (search): GET /readyz on its ops port', () => {
    let nats: PrivateNats;
    let search: AppProcess;
    let port = 0;
    const env = () => ({ APP: 'search', OPS_HOST: '0.0.0.0', OPS_PORT: String(port) });

    beforeAll(async () => {
      nats = await startPrivateNats();
      port = await opsPort();
      search = spawnApp('search', {
        NATS_URL: nats.url,
        OPS_PORT: String(port),
        INSTANCE_NAME: 'search-hc',
        SEARCH_DATA_DIR: mkdtempSync(join(tmpdir(), 'chat-search-hc-')),
      });
      await until('the search service to be ready', async () => (await probe(env())).code === 0);
    });
    afterAll(async () => {
      await search?.stop(3000);
      await nats?.stop();
    });

    it('is healthy while the process answers its own NATS round trip and its index', async () => {
      expect(await probe(env())).toEqual({ code: 0, stderr: '' });
    });

    it('is unhealthy, naming the failed check, once its NATS server is gone', async () => {
      await nats.stop();
      let result = { code: 0, stderr: '' };
      await until('readiness to turn 503', async () => (result = await probe(env())).code !== 0);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/unhealthy \(search\): GET \/readyz answered 503 .*nats/);
    });

    it('is unhealthy when nothing listens on the ops port', async () => {
      const free = await opsPort();
      const result = await probe({ APP: 'message', OPS_PORT: String(free) });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('ECONNREFUSED');
    });
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

  it('is unhealthy for an unknown APP', async () => {
    const result = await probe({ APP: 'nope' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown APP "nope"');
  });
});
