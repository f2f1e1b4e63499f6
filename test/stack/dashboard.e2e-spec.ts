import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { closeAllSockets, sleep } from '../harness/client';
import { concreteQuery, dashboardQueries, seriesNames } from '../harness/dashboard';
import { infra } from '../harness/infra';
import { METERED_ENV, meteredTraffic, scrape } from '../harness/metrics';
import { Stack, startStack } from '../harness/stack';

jest.setTimeout(120_000);

// The observability profile's Grafana dashboard against real services: every series it names is one
// the services export, and every panel's query, run by a real Prometheus (Debian's) scraping a real
// stack with the profile's own scrape jobs, answers with data.
describe('the Grafana dashboard (deploy/observability)', () => {
  const root = infra.provision.ROOT;
  let stack: Stack;
  let prometheus: ChildProcess | undefined;
  let prometheusUrl = '';
  const exported = new Set<string>();
  const dir = mkdtempSync(join(tmpdir(), 'chat-prometheus-'));

  beforeAll(async () => {
    // The third send is refused, so the error panels have series to show.
    stack = await startStack({ appEnv: METERED_ENV });
    const gw = stack.gatewayUrls[0];
    await meteredTraffic(gw, 'dash');

    for (const url of [gw, ...(['auth', 'message', 'search'] as const).map((s) => stack[s][0].opsUrl!)]) {
      for (const sample of await scrape(url)) exported.add(sample.name);
    }
    prometheusUrl = await startPrometheus();
  }, 150_000);

  afterAll(async () => {
    closeAllSockets();
    if (prometheus) await infra.provision.stopProcess(prometheus);
    await stack?.stop();
  });

  /**
   * Debian's prometheus with the profile's config, each DNS-discovered job pointed at this stack's
   * processes instead (the same job names), scraping every second.
   */
  async function startPrometheus(): Promise<string> {
    const config = parse(readFileSync(join(root, 'deploy/observability/prometheus.yml'), 'utf8')) as {
      global: Record<string, string>;
      scrape_configs: Array<Record<string, unknown> & { job_name: string }>;
    };
    const port = await infra.provision.freePort();
    const hostOf = (url: string) => new URL(url).host;
    const targets: Record<string, string[]> = {
      gateway: stack.gatewayUrls.map(hostOf),
      auth: stack.auth.map((p) => hostOf(p.opsUrl!)),
      message: stack.message.map((p) => hostOf(p.opsUrl!)),
      search: stack.search.map((p) => hostOf(p.opsUrl!)),
      prometheus: [`127.0.0.1:${port}`],
    };
    expect(config.scrape_configs.map((j) => j.job_name).sort()).toEqual(Object.keys(targets).sort());
    config.global = { ...config.global, scrape_interval: '1s', scrape_timeout: '1s' };
    config.scrape_configs = config.scrape_configs.map(({ job_name }) => ({
      job_name,
      static_configs: [{ targets: targets[job_name] }],
    }));
    const file = join(dir, 'prometheus.yml');
    writeFileSync(file, stringify(config));
    prometheus = infra.provision.spawnLogged(
      'prometheus',
      [`--config.file=${file}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
      join(dir, 'prometheus.log'),
    );
    await infra.provision.waitForPort(port, '127.0.0.1', 30_000);
    // Listening is not ready: until its storage is open, Prometheus answers 503 to every query.
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    while ((await fetch(`${url}/-/ready`)).status !== 200) {
      if (Date.now() > deadline) throw new Error('Prometheus did not become ready in 30 s');
      await sleep(200);
    }
    return url;
  }

  async function query(expr: string): Promise<unknown[]> {
    const res = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as { status: string; error?: string; data?: { result: unknown[] } };
    if (body.status !== 'success') throw new Error(`${expr}: ${body.error}`);
    return body.data!.result;
  }

  it("names only series the services export (and Prometheus's own `up`)", () => {
    const named = [...new Set(dashboardQueries(root).flatMap((q) => seriesNames(q.expr)))];
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((name) => name !== 'up' && !exported.has(name))).toEqual([]);
  });

  it("answers every panel's query with data from a real Prometheus scraping the stack", async () => {
    // Every target up, then scraped a few more times: a rate over 10 s needs two samples.
    const deadline = Date.now() + 30_000;
    while ((await query('count(up == 1) == 5')).length === 0) {
      if (Date.now() > deadline) throw new Error(`not every target is up: ${JSON.stringify(await query('up'))}`);
      await sleep(250);
    }
    await sleep(4000);
    const empty: string[] = [];
    for (const q of dashboardQueries(root)) {
      const result = await query(concreteQuery(q.expr, '10s'));
      if (result.length === 0) empty.push(`${q.panel}: ${q.expr}`);
    }
    expect(empty).toEqual([]);
  });
});
