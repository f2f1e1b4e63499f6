// Static checks of the deployment (docs/deploy.md): the compose files validate with
// docker-compose, every service has a health check and builds from a committed Dockerfile,
// the images follow the rules (non-root, health check, no dev dependencies), and the Kubernetes
// manifests carry what each kind needs. The real run is `npm run test:compose`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { DASHBOARD_PATH, allPanels, readDashboard } from '../harness/dashboard';

const ROOT = join(__dirname, '..', '..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

// Parsed YAML is untyped: the checks below are what type it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const VARIANTS: Record<string, string[]> = {
  'docker-compose.yml': ['docker-compose.yml'],
  'with the NATS cluster override': ['docker-compose.yml', 'docker-compose.nats-cluster.yml'],
  'with the test override': ['docker-compose.yml', 'docker-compose.test.yml'],
  'with the observability profile': ['docker-compose.yml', 'docker-compose.observability.yml'],
};
/** The observability profile's services (pulled images, not built here). */
const OBSERVABILITY = ['otel-collector', 'jaeger', 'prometheus', 'grafana'];
/** Their images hold the binary alone: no shell, wget or curl for a health check to run. */
const NO_SHELL = ['otel-collector', 'jaeger'];
/** Secrets compose requires (`${VAR:?…}`), given a value for `docker-compose config`. */
const SECRETS = { PROXY_COOKIE_KEY: 'k', GRAFANA_ADMIN_PASSWORD: 'g' };

function hasDockerCompose(): boolean {
  try {
    execFileSync('docker-compose', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `docker-compose config` of the files, as the engine would see them (no .env of the developer). */
function composeConfig(files: string[], env: Record<string, string> = SECRETS): Json {
  const emptyEnv = join(mkdtempSync(join(tmpdir(), 'compose-env-')), 'empty.env');
  writeFileSync(emptyEnv, '');
  const out = execFileSync('docker-compose', ['--env-file', emptyEnv, ...files.flatMap((f) => ['-f', f]), 'config'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  return parse(out) as Json;
}

function isTracked(path: string): boolean {
  try {
    execFileSync('git', ['ls-files', '--error-unmatch', path], { cwd: ROOT, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `COPY` sources of a Dockerfile that come from the build context (not from another stage). */
function copySources(dockerfile: string): string[] {
  return readFileSync(dockerfile, 'utf8')
    .split('\n')
    .filter((l) => /^COPY\s/i.test(l) && !/--from=/i.test(l))
    .flatMap((l) => {
      const parts = l
        .trim()
        .split(/\s+/)
        .slice(1)
        .filter((p) => !p.startsWith('--'));
      return parts.slice(0, -1);
    });
}

describe('docker-compose deployment', () => {
  const available = hasDockerCompose();
  const configs: Record<string, Json> = {};

  beforeAll(() => {
    if (!available) return;
    for (const [name, files] of Object.entries(VARIANTS)) configs[name] = composeConfig(files);
  });

  it('has docker-compose (Debian: apt-get install docker-compose) to validate the files', () => {
    expect(available).toBe(true);
  });

  it.each(Object.keys(VARIANTS))('validates: %s', (name) => {
    expect(Object.keys(configs[name]?.services ?? {})).toEqual(
      expect.arrayContaining(['nats', 'mongo', 'auth', 'message', 'search', 'gateway', 'proxy']),
    );
  });

  it.each(Object.keys(VARIANTS))('gives every service a health check and a restart policy: %s', (name) => {
    for (const [svc, def] of Object.entries<Json>(configs[name].services)) {
      // `disable: true` reads back as the test ["NONE"].
      const test = (def.healthcheck?.test ?? []) as string[];
      const checked = test.length > 0 && test[0] !== 'NONE' && !def.healthcheck?.disable;
      expect({ svc, checked }).toEqual({ svc, checked: !NO_SHELL.includes(svc) });
      expect({ svc, restart: def.restart }).toEqual({ svc, restart: 'unless-stopped' });
    }
  });

  it.each(Object.keys(VARIANTS))('builds every image from a committed Dockerfile: %s', (name) => {
    for (const [svc, def] of Object.entries<Json>(configs[name].services)) {
      if (OBSERVABILITY.includes(svc)) {
        // Pulled, pinned to a release: never `latest`, never an unpinned name.
        expect({ svc, build: def.build, image: def.image }).toEqual({
          svc,
          build: undefined,
          image: expect.stringMatching(/^[\w./-]+:v?\d+\.\d+\.\d+$/),
        });
        continue;
      }
      expect({ svc, build: typeof def.build?.context }).toEqual({ svc, build: 'string' });
      const dockerfile = join(def.build.context, def.build.dockerfile ?? 'Dockerfile');
      const rel = relative(ROOT, dockerfile);
      expect({ svc, dockerfile: rel, tracked: isTracked(rel) }).toEqual({ svc, dockerfile: rel, tracked: true });
      for (const src of copySources(dockerfile)) {
        const path = relative(ROOT, normalize(join(def.build.context, src)));
        // The one exception: the test-only FerretDB image gets its binary copied in by the test.
        if (path === 'deploy/test/ferretdb/ferretdb') continue;
        expect({ svc, copies: path, tracked: isTracked(path) }).toEqual({ svc, copies: path, tracked: true });
      }
    }
  });

  it('starts each service only once what it depends on is healthy', () => {
    const { services } = configs['docker-compose.yml'];
    const deps = (svc: string) => services[svc].depends_on as Record<string, { condition: string }>;
    expect(deps('auth')).toEqual({
      nats: { condition: 'service_healthy' },
      mongo: { condition: 'service_healthy' },
    });
    expect(deps('message')).toEqual(deps('auth'));
    expect(Object.keys(deps('gateway')).sort()).toEqual(['auth', 'message', 'nats']);
    expect(Object.keys(deps('proxy'))).toEqual(['gateway']);
    for (const svc of ['auth', 'message', 'gateway', 'proxy']) {
      for (const dep of Object.values(deps(svc))) expect(dep.condition).toBe('service_healthy');
    }
  });

  it('publishes one port, the proxy; gateways can be scaled (no name, no host port)', () => {
    const { services } = configs['docker-compose.yml'];
    const publishing = Object.entries<Json>(services).filter(([, d]) => (d.ports ?? []).length > 0);
    expect(publishing.map(([s]) => s)).toEqual(['proxy']);
    expect(services.proxy.ports).toHaveLength(1);
    expect(services.gateway.container_name).toBeUndefined();
    expect(services.gateway.environment.HOST).toBe('0.0.0.0');
  });

  it("binds auth's, message's and search's ops port on every interface of their container, unpublished", () => {
    const { services } = configs['docker-compose.yml'];
    for (const svc of ['auth', 'message', 'search']) {
      expect({ svc, host: services[svc].environment.OPS_HOST, ports: services[svc].ports }).toEqual({
        svc,
        host: '0.0.0.0',
        ports: undefined,
      });
      expect(services[svc].healthcheck.test).toEqual(['CMD', 'node', 'deploy/healthcheck.js']);
    }
  });

  it('runs MongoDB as the replica set rs0 with named volumes, and NATS with JetStream and monitoring', () => {
    const { services, volumes } = configs['docker-compose.yml'];
    expect(services.mongo.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    expect(services.auth.environment.MONGO_URL).toContain('replicaSet=rs0');
    expect(Object.keys(volumes)).toEqual(expect.arrayContaining(['mongo-data', 'nats-data']));
    const natsConf = read('deploy/nats/nats.conf');
    expect(natsConf).toMatch(/^jetstream\s*\{/m);
    expect(natsConf).toMatch(/^http_port:\s*8222/m);
  });

  it('the NATS cluster override runs three routed JetStream nodes and gives every client all of them', () => {
    const { services } = configs['with the NATS cluster override'];
    const nodes = ['nats', 'nats-2', 'nats-3'];
    for (const node of nodes) {
      const cmd = (services[node].command as string[]).join(' ');
      expect(cmd).toContain('--cluster_name chat');
      expect(cmd).toMatch(/--routes \S*nats:6222\S*nats-2:6222\S*nats-3:6222/);
    }
    for (const svc of ['auth', 'message', 'gateway']) {
      expect(services[svc].environment.NATS_URL).toBe('nats://nats:4222,nats://nats-2:4222,nats://nats-3:4222');
    }
  });

  it('the test override changes the mongo service only', () => {
    const test = parse(read('docker-compose.test.yml')) as Json;
    expect(Object.keys(test)).toEqual(['services']);
    expect(Object.keys(test.services)).toEqual(['mongo']);
  });

  it('runs one search instance with a stable name and its index on a volume', () => {
    const { services, volumes } = configs['docker-compose.yml'];
    const search = services.search;
    expect(search.environment).toMatchObject({
      APP: 'search',
      INSTANCE_NAME: 'search-1',
      SEARCH_DATA_DIR: '/data/search',
    });
    // docker-compose 1.29 prints the short form (`source:target:mode`), Compose v2 the long one.
    const mounts = (search.volumes as unknown[]).map((v) =>
      typeof v === 'string' ? v.split(':').slice(0, 2).join(':') : `${(v as Json).source}:${(v as Json).target}`,
    );
    expect(mounts).toContain('search-data:/data/search');
    expect(Object.keys(volumes)).toContain('search-data');
    expect(Object.keys(search.depends_on)).toEqual(['nats']);
  });

  it('has no default secret: without PROXY_COOKIE_KEY compose refuses to start and says why', () => {
    let message = '';
    try {
      composeConfig(['docker-compose.yml'], {});
    } catch (err) {
      message = String((err as { stderr?: string }).stderr ?? err);
    }
    expect(message).toMatch(/PROXY_COOKIE_KEY/);
    expect(configs['docker-compose.yml'].services.proxy.environment.PROXY_COOKIE_KEY).toBe('k');
    expect(read('deploy/proxy/Dockerfile')).not.toMatch(/change-me/);
    expect(read('.env.example')).toMatch(/^PROXY_COOKIE_KEY=$/m);
  });

  it('names every variable the compose files read in .env.example', () => {
    const envExample = read('.env.example');
    const declared = new Set([...envExample.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    const used = new Set(
      ['docker-compose.yml', 'docker-compose.nats-cluster.yml', 'docker-compose.observability.yml'].flatMap((f) =>
        [...read(f).matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]),
      ),
    );
    expect([...used].filter((v) => !declared.has(v))).toEqual([]);
  });
});

/** A service's mounts as `{ source, target }`, whichever form docker-compose printed them in. */
function mountsOf(def: Json): Array<{ source: string; target: string }> {
  return ((def.volumes ?? []) as unknown[]).map((v) => {
    if (typeof v !== 'string') return { source: (v as Json).source as string, target: (v as Json).target as string };
    const [source, target] = v.split(':');
    return { source, target };
  });
}

describe('observability profile (docker-compose.observability.yml, deploy/observability)', () => {
  const available = hasDockerCompose();
  let base: Json;
  let profile: Json;
  const dir = join(ROOT, 'deploy', 'observability');
  const collector = parse(read('deploy/observability/otel-collector.yaml')) as Json;
  const prometheus = parse(read('deploy/observability/prometheus.yml')) as Json;
  const datasources = parse(read('deploy/observability/grafana/provisioning/datasources/datasources.yaml')) as Json;
  const providers = parse(read('deploy/observability/grafana/provisioning/dashboards/dashboards.yaml')) as Json;
  const APPS = ['gateway', 'auth', 'message', 'search'];

  beforeAll(() => {
    if (!available) return;
    base = composeConfig(VARIANTS['docker-compose.yml']);
    profile = composeConfig(VARIANTS['with the observability profile']);
  });

  it('adds the collector, Jaeger, Prometheus and Grafana, and changes the services only by the OTEL_* variables', () => {
    const added = Object.keys(profile.services).filter((s) => !(s in base.services));
    expect(added.sort()).toEqual([...OBSERVABILITY].sort());
    for (const [svc, def] of Object.entries<Json>(base.services)) {
      // Mounts in whichever order docker-compose printed them.
      const { environment: env, volumes, ...rest } = profile.services[svc] as Json;
      const { environment: baseEnv, volumes: baseVolumes, ...baseRest } = def;
      expect({ svc, rest, mounts: mountsOf({ volumes }) }).toEqual({
        svc,
        rest: baseRest,
        mounts: expect.arrayContaining(mountsOf({ volumes: baseVolumes })),
      });
      expect(mountsOf({ volumes })).toHaveLength(mountsOf({ volumes: baseVolumes }).length);
      const extra = Object.keys(env ?? {}).filter((k) => !(k in (baseEnv ?? {})));
      expect({ svc, extra: extra.every((k) => k.startsWith('OTEL_')), kept: { ...env, ...baseEnv } }).toEqual({
        svc,
        extra: true,
        kept: env ?? {},
      });
    }
  });

  it("points every service's trace exporter at the collector's OTLP/HTTP receiver, under its own name", () => {
    const httpPort = (collector.receivers.otlp.protocols.http.endpoint as string).split(':').pop();
    for (const svc of APPS) {
      const env = profile.services[svc].environment as Record<string, string>;
      expect({ svc, env }).toMatchObject({
        svc,
        env: {
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://otel-collector:${httpPort}`,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
          OTEL_TRACES_EXPORTER: 'otlp',
          OTEL_SERVICE_NAME: svc,
        },
      });
    }
    expect(httpPort).toBe('4318');
  });

  it('runs a collector pipeline made of components it defines, exporting to the Jaeger service', () => {
    const { traces } = collector.service.pipelines as Record<string, Json>;
    for (const kind of ['receivers', 'processors', 'exporters'] as const) {
      for (const name of traces[kind] as string[])
        expect({ kind, name, defined: name in collector[kind] }).toEqual({ kind, name, defined: true });
    }
    for (const ext of collector.service.extensions as string[])
      expect(Object.keys(collector.extensions)).toContain(ext);
    const [exporter] = traces.exporters as string[];
    const [host, port] = (collector.exporters[exporter].endpoint as string).split(':');
    expect({ host, port, service: host in profile.services }).toEqual({ host: 'jaeger', port: '4317', service: true });
    const mount = mountsOf(profile.services['otel-collector']).find((m) => m.target === '/etc/otelcol/config.yaml');
    expect(relative(ROOT, mount!.source)).toBe('deploy/observability/otel-collector.yaml');
    expect(profile.services['otel-collector'].command).toContain('--config=/etc/otelcol/config.yaml');
  });

  it("scrapes every process on the port that serves its /metrics, each replica found by the service's name", () => {
    const jobs = Object.fromEntries(
      (prometheus.scrape_configs as Json[])
        .filter((j) => j.dns_sd_configs)
        .map((j) => [j.job_name, j.dns_sd_configs[0] as Json]),
    );
    expect(Object.keys(jobs).sort()).toEqual([...APPS].sort());
    for (const svc of APPS) {
      // The gateway serves /metrics on PORT; the services on OPS_PORT, which the image sets.
      const port = svc === 'gateway' ? Number(base.services.gateway.environment.PORT) : 9464;
      expect({ svc, names: jobs[svc].names, type: jobs[svc].type, port: jobs[svc].port }).toEqual({
        svc,
        names: [svc],
        type: 'A',
        port,
      });
    }
    expect(read('deploy/Dockerfile')).toMatch(/OPS_PORT=9464/);
    const mount = mountsOf(profile.services.prometheus).find((m) => m.target === '/etc/prometheus/prometheus.yml');
    expect(relative(ROOT, mount!.source)).toBe('deploy/observability/prometheus.yml');
  });

  it("passes promtool's check (Debian: apt-get install prometheus)", () => {
    const out = execFileSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS/);
  });

  it("provisions Grafana's data sources and the dashboard where the mounts put them", () => {
    const grafana = profile.services.grafana as Json;
    const mounts = mountsOf(grafana).map((m) => ({ ...m, source: relative(ROOT, m.source) }));
    expect(mounts).toEqual(
      expect.arrayContaining([
        { source: 'deploy/observability/grafana/provisioning', target: '/etc/grafana/provisioning' },
        { source: 'deploy/observability/grafana/dashboards', target: '/etc/grafana/dashboards' },
      ]),
    );
    const [provider] = providers.providers as Json[];
    expect(provider.options.path).toBe('/etc/grafana/dashboards');
    expect(grafana.environment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(
      `/etc/grafana/dashboards/${DASHBOARD_PATH.split('/').pop()}`,
    );
    expect(isTracked(DASHBOARD_PATH)).toBe(true);
    const byUid = Object.fromEntries((datasources.datasources as Json[]).map((d) => [d.uid, d]));
    expect(byUid.prometheus).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
    expect(byUid.jaeger).toMatchObject({ type: 'jaeger', url: 'http://jaeger:16686' });
  });

  it('has a dashboard whose panels each query the provisioned Prometheus, laid out on the grid', () => {
    const dashboard = readDashboard(ROOT);
    const panels = allPanels(dashboard.panels);
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const queried = panels.filter((p) => p.type !== 'row');
    expect(queried.length).toBeGreaterThanOrEqual(5);
    for (const p of queried) {
      const targets = p.targets ?? [];
      const refIds = targets.map((t) => t.refId);
      expect({
        panel: p.title,
        datasource: p.datasource?.uid,
        targets: targets.length > 0,
        refIds: new Set(refIds).size === refIds.length,
        exprs: targets.every((t) => t.expr.trim().length > 0 && (t.datasource?.uid ?? 'prometheus') === 'prometheus'),
      }).toEqual({ panel: p.title, datasource: 'prometheus', targets: true, refIds: true, exprs: true });
    }
    // What the issue asks the dashboard for.
    const exprs = queried.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join('\n');
    for (const series of [
      'chat_messages_in_total',
      'chat_fanout_latency_seconds_bucket',
      'chat_rpc_duration_seconds_bucket',
      'chat_sockets_connected',
      'chat_socket_events_total',
      'chat_rate_limit_refusals_total',
    ]) {
      expect(exprs).toContain(series);
    }
    expect(exprs).toMatch(/histogram_quantile\(0\.99, sum by \(le, subject\)/);
  });

  it('publishes the UIs on the loopback address only, and has no default Grafana password', () => {
    for (const svc of OBSERVABILITY) {
      for (const p of (profile.services[svc].ports ?? []) as unknown[]) {
        const hostIp = typeof p === 'string' ? p.split(':')[0] : (p as Json).host_ip;
        expect({ svc, hostIp }).toEqual({ svc, hostIp: '127.0.0.1' });
      }
    }
    let message = '';
    try {
      composeConfig(VARIANTS['with the observability profile'], { PROXY_COOKIE_KEY: 'k' });
    } catch (err) {
      message = String((err as { stderr?: string }).stderr ?? err);
    }
    expect(message).toMatch(/GRAFANA_ADMIN_PASSWORD/);
    expect(read('.env.example')).toMatch(/^GRAFANA_ADMIN_PASSWORD=$/m);
  });
});

describe('service image (deploy/Dockerfile)', () => {
  const dockerfile = read('deploy/Dockerfile');
  const runtime = dockerfile.slice(dockerfile.search(/^FROM .* AS runtime$/m));

  it('builds on a maintained Node LTS', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:(20|22|24)-bookworm-slim$/m);
  });

  it('listens on every interface in a container, the ops port where the services default it', () => {
    const env = /^ENV ((?:.*\\\n)*.*)$/m.exec(runtime)?.[1] ?? '';
    const vars = Object.fromEntries([...env.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
    expect(vars).toMatchObject({ HOST: '0.0.0.0', OPS_HOST: '0.0.0.0' });
    expect(read('libs/config/src/base.config.ts')).toContain(`OPS_PORT: number = ${vars.OPS_PORT};`);
    expect(runtime).toMatch(new RegExp(`^EXPOSE 3000 ${vars.OPS_PORT}$`, 'm'));
  });

  it('runs as a non-root user with a health check', () => {
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*deploy\/healthcheck\.js/m);
  });

  it('ships no dev dependencies and no sources in the runtime stage', () => {
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    const copies = runtime.split('\n').filter((l) => l.startsWith('COPY'));
    for (const line of copies) expect(line).toMatch(/--from=build|deploy\/healthcheck\.js/);
    expect(runtime).not.toMatch(/COPY .*\b(apps|libs)\b/);
  });

  it('keeps its build context to an allow-list (.dockerignore)', () => {
    const lines = read('.dockerignore')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(lines[0]).toBe('*');
    expect(lines.filter((l) => l.startsWith('!'))).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/\.env|\.cache|\.data|node_modules|\.git/)]),
    );
  });
});

/** Whether an Ingress path routes a request path, as the Ingress API defines Exact and Prefix. */
function routes(p: Json, path: string): boolean {
  if (p.pathType === 'Exact') return p.path === path;
  const parts = path.split('/').filter(Boolean);
  return (p.path as string)
    .split('/')
    .filter(Boolean)
    .every((segment, i) => parts[i] === segment);
}

/** The files the web client's build puts in dist/client (the gateway serves them at /). */
function clientFiles(): string[] {
  const build = read('apps/gateway/client/build.mjs');
  const bundled = [...build.matchAll(/outfile: join\(out, '([^']+)'\)/g)].map((m) => m[1]);
  const copied = [...(/for \(const file of \[([^\]]+)\]\)/.exec(build)?.[1] ?? '').matchAll(/'([^']+)'/g)].map(
    (m) => m[1],
  );
  return [...bundled, ...copied];
}

function mebibytes(quantity: string): number {
  const m = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!m) throw new Error(`unexpected memory quantity ${quantity}`);
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1);
}

describe('Kubernetes manifests (deploy/k8s)', () => {
  const dir = join(ROOT, 'deploy', 'k8s');
  const kustomization = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Json;
  const docs: Json[] = (kustomization.resources as string[]).flatMap((file) =>
    parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => {
      expect(d.errors).toEqual([]);
      return { ...(d.toJSON() as Json), file };
    }),
  );
  const ofKind = (kind: string) => docs.filter((d) => d.kind === kind);
  /** Deployments and StatefulSets (search keeps its index on a volume per pod). */
  const workloads = () => [...ofKind('Deployment'), ...ofKind('StatefulSet')];
  const deployment = (name: string) => workloads().find((d) => d.metadata.name === name)!;
  const matches = (selector: Json, labels: Json) =>
    Object.entries(selector).every(([k, v]) => labels?.[k] === v) && Object.keys(selector).length > 0;
  const SERVICES = ['gateway', 'auth', 'message', 'search'];
  /** The selector picks the pods of this workload and of no other. */
  const selectsOnly = (selector: Json | undefined, name: string) =>
    workloads().every((d) => matches(selector ?? {}, d.spec.template.metadata.labels) === (d.metadata.name === name));
  const policyOf = (name: string) => {
    const found = ofKind('NetworkPolicy').filter((p) => selectsOnly(p.spec.podSelector?.matchLabels, name));
    expect({ name, policies: found.length }).toEqual({ name, policies: 1 });
    return found[0];
  };

  it('lists every manifest of the folder in kustomization.yaml', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...(kustomization.resources as string[])].sort()).toEqual(files.sort());
  });

  it('gives every document an apiVersion, a kind and a name', () => {
    for (const d of docs) {
      expect({ file: d.file, ok: Boolean(d.apiVersion && d.kind && d.metadata?.name) }).toEqual({
        file: d.file,
        ok: true,
      });
    }
  });

  it('has Deployments for gateway, auth and message, a StatefulSet for search, selectors matching their pods', () => {
    expect(
      ofKind('Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(['auth', 'gateway', 'message']);
    expect(ofKind('StatefulSet').map((d) => d.metadata.name)).toEqual(['search']);
    for (const d of workloads()) {
      expect(d.apiVersion).toBe('apps/v1');
      expect(matches(d.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
      expect(d.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
      for (const c of d.spec.template.spec.containers as Json[]) {
        expect({ name: c.name, image: typeof c.image, probe: Boolean(c.readinessProbe) }).toEqual({
          name: c.name,
          image: 'string',
          probe: true,
        });
        expect(c.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
        const app = (c.env as Json[]).find((e) => e.name === 'APP')?.value;
        expect(app).toBe(d.metadata.name);
      }
    }
  });

  it('wires the gateway probes to /healthz (liveness) and /readyz (readiness) on its port', () => {
    const [c] = deployment('gateway').spec.template.spec.containers as Json[];
    const portNames = (c.ports as Json[]).map((p) => p.name);
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    expect(portNames).toContain(c.livenessProbe.httpGet.port);
    expect(portNames).toContain(c.readinessProbe.httpGet.port);
    const port = (c.ports as Json[]).find((p) => p.name === c.readinessProbe.httpGet.port)?.containerPort;
    expect((c.env as Json[]).find((e) => e.name === 'PORT')?.value).toBe(String(port));
    expect(port).toBe(3000);
  });

  it('probes auth, message and search each on its own ops port: /healthz (startup, liveness), /readyz', () => {
    for (const name of ['auth', 'message', 'search']) {
      const [c] = deployment(name).spec.template.spec.containers as Json[];
      const env = Object.fromEntries((c.env as Json[]).map((e) => [e.name, e.value]));
      const ops = (c.ports as Json[]).find((p) => p.name === 'ops');
      const probes = Object.fromEntries(
        ['startupProbe', 'livenessProbe', 'readinessProbe'].map((k) => [k, c[k]?.httpGet as Json | undefined]),
      );
      expect({ name, env: { OPS_HOST: env.OPS_HOST, OPS_PORT: env.OPS_PORT }, probes }).toEqual({
        name,
        // Every interface: the kubelet and Prometheus dial the pod's address, not its loopback.
        env: { OPS_HOST: '0.0.0.0', OPS_PORT: String(ops?.containerPort) },
        probes: {
          startupProbe: { path: '/healthz', port: 'ops' },
          livenessProbe: { path: '/healthz', port: 'ops' },
          readinessProbe: { path: '/readyz', port: 'ops' },
        },
      });
    }
  });

  it('asks Prometheus to scrape every pod on the port that serves its /metrics', () => {
    for (const d of workloads()) {
      const annotations = (d.spec.template.metadata.annotations ?? {}) as Record<string, string>;
      const [c] = d.spec.template.spec.containers as Json[];
      const port = (c.ports as Json[]).find((p) => String(p.containerPort) === annotations['prometheus.io/port']);
      expect({
        name: d.metadata.name,
        scrape: annotations['prometheus.io/scrape'],
        path: annotations['prometheus.io/path'],
      }).toEqual({ name: d.metadata.name, scrape: 'true', path: '/metrics' });
      expect({ name: d.metadata.name, port: port?.name }).toEqual({
        name: d.metadata.name,
        port: d.metadata.name === 'gateway' ? 'http' : 'ops',
      });
    }
  });

  it('exposes no ops port through a Service (the Ingress can only route to Service ports)', () => {
    const targets = ofKind('Service').flatMap((s) => (s.spec.ports as Json[]).map((p) => p.targetPort));
    expect(targets).not.toContain('ops');
    expect(targets).not.toContain(9464);
  });

  it('has Services whose selectors and target ports find a Deployment', () => {
    expect(ofKind('Service').length).toBeGreaterThan(0);
    for (const s of ofKind('Service')) {
      const target = ofKind('Deployment').find((d) => matches(s.spec.selector, d.spec.template.metadata.labels));
      expect({ service: s.metadata.name, found: Boolean(target) }).toEqual({ service: s.metadata.name, found: true });
      const names = (target!.spec.template.spec.containers as Json[]).flatMap((c) =>
        (c.ports ?? []).map((p: Json) => p.name),
      );
      for (const p of s.spec.ports as Json[]) expect(names).toContain(p.targetPort);
    }
  });

  it('autoscales the gateway on its open sockets (a Pods metric the gateway exports) and on CPU', () => {
    const [hpa] = ofKind('HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'gateway' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
    const metrics = hpa.spec.metrics as Json[];
    expect(metrics.map((m) => m.type).sort()).toEqual(['Pods', 'Resource']);
    const sockets = metrics.find((m) => m.type === 'Pods')!.pods;
    expect(sockets.metric.name).toBe('chat_sockets_connected');
    expect(sockets.target.type).toBe('AverageValue');
    // The gateway exports that gauge, and the adapter rule in the docs serves that name.
    expect(read('apps/gateway/src/metrics/metrics.service.ts')).toMatch(
      new RegExp(`new Gauge\\(\\{\\s*name: '${sockets.metric.name}'`),
    );
    expect(read('docs/deploy.md')).toContain(`seriesQuery: '${sockets.metric.name}{`);
    const resource = metrics.find((m) => m.type === 'Resource')!.resource;
    expect(resource.name).toBe('cpu');
    const gateway = deployment('gateway').spec.template.spec.containers[0];
    expect(gateway.resources.requests.cpu).toBeDefined();
    // Idle sockets at the target (41.5 KiB each on a ~85 MiB base, docs/deploy.md "Sizing") fill at
    // most half the memory limit: the rest is for traffic, and for the overshoot before a scale-up.
    const idleMiB = (Number(sockets.target.averageValue) * 41.5) / 1024 + 85;
    expect(idleMiB).toBeLessThanOrEqual(mebibytes(gateway.resources.limits.memory) / 2);
  });

  it('routes the Ingress to an existing Service port, and PodDisruptionBudgets to existing pods', () => {
    for (const ing of ofKind('Ingress')) {
      for (const rule of ing.spec.rules as Json[]) {
        for (const p of rule.http.paths as Json[]) {
          const svc = ofKind('Service').find((s) => s.metadata.name === p.backend.service.name);
          expect((svc?.spec.ports as Json[]).map((x) => x.name)).toContain(p.backend.service.port.name);
        }
      }
    }
    for (const pdb of ofKind('PodDisruptionBudget')) {
      expect(pdb.apiVersion).toBe('policy/v1');
      expect(workloads().some((d) => matches(pdb.spec.selector.matchLabels, d.spec.template.metadata.labels))).toBe(
        true,
      );
    }
  });

  it('routes what clients use through the Ingress, never /metrics or the probes', () => {
    const ingresses = ofKind('Ingress');
    const paths = ingresses.flatMap((ing) => (ing.spec.rules as Json[]).flatMap((r) => r.http.paths as Json[]));
    // ImplementationSpecific matching is up to each controller; regexes and rewrites change what a path matches.
    for (const p of paths) expect(['Exact', 'Prefix']).toContain(p.pathType);
    for (const ing of ingresses) {
      expect(ing.spec.defaultBackend).toBeUndefined();
      const annotations = Object.keys(ing.metadata.annotations ?? {});
      expect(annotations.filter((a) => /use-regex|rewrite-target|snippet/.test(a))).toEqual([]);
    }
    const routed = (path: string) => paths.some((p) => routes(p, path));
    const files = clientFiles();
    expect(files).toEqual(expect.arrayContaining(['app.js', 'index.html']));
    const used = ['/', ...files.map((f) => `/${f}`), '/api/auth/login', '/api/rooms/r/messages', '/api/attachments/a'];
    for (const path of [...used, '/socket.io/']) expect({ path, routed: routed(path) }).toEqual({ path, routed: true });
    for (const path of ['/metrics', '/metrics/', '/healthz', '/readyz']) {
      expect({ path, routed: routed(path) }).toEqual({ path, routed: false });
    }
  });

  it('has one PodDisruptionBudget per service, which lets a drain evict one pod at a time, never all', () => {
    for (const name of SERVICES) {
      const pdbs = ofKind('PodDisruptionBudget').filter((p) => selectsOnly(p.spec.selector.matchLabels, name));
      expect({ name, pdbs: pdbs.length }).toEqual({ name, pdbs: 1 });
      const { maxUnavailable, minAvailable } = pdbs[0].spec as { maxUnavailable?: number; minAvailable?: number };
      const hpa = ofKind('HorizontalPodAutoscaler').find((h) => h.spec.scaleTargetRef.name === name);
      const fewest = (hpa?.spec.minReplicas ?? deployment(name).spec.replicas) as number;
      const evictable = maxUnavailable ?? fewest - (minAvailable ?? fewest);
      expect({ name, evictable: typeof evictable, atLeastOne: evictable >= 1, notAll: evictable < fewest }).toEqual({
        name,
        evictable: 'number',
        atLeastOne: true,
        notAll: true,
      });
    }
  });

  it('spreads each Deployment over nodes (preferred anti-affinity) and zones (topology spread)', () => {
    for (const name of SERVICES) {
      const spec = deployment(name).spec.template.spec;
      const anti = spec.affinity?.podAntiAffinity ?? {};
      const byHost = ((anti.preferredDuringSchedulingIgnoredDuringExecution ?? []) as Json[]).find(
        (t) => t.podAffinityTerm.topologyKey === 'kubernetes.io/hostname',
      );
      const byZone = ((spec.topologySpreadConstraints ?? []) as Json[]).find(
        (c) => c.topologyKey === 'topology.kubernetes.io/zone',
      );
      expect({
        name,
        byHost: selectsOnly(byHost?.podAffinityTerm.labelSelector.matchLabels, name),
        // Required anti-affinity would leave replicas pending on a cluster with fewer nodes.
        required: anti.requiredDuringSchedulingIgnoredDuringExecution,
        byZone: selectsOnly(byZone?.labelSelector.matchLabels, name),
        skew: byZone?.maxSkew,
      }).toEqual({ name, byHost: true, required: undefined, byZone: true, skew: 1 });
    }
  });

  it('lets only the ingress controller (and Prometheus) reach the gateway, and only Prometheus the ops ports', () => {
    for (const p of ofKind('NetworkPolicy')) expect(p.apiVersion).toBe('networking.k8s.io/v1');
    // Each policy selects one service: an empty podSelector would also catch NATS in the namespace.
    expect(
      ofKind('NetworkPolicy').every((p) => SERVICES.some((n) => selectsOnly(p.spec.podSelector?.matchLabels, n))),
    ).toBe(true);
    const gateway = policyOf('gateway');
    expect(gateway.spec.policyTypes).toEqual(expect.arrayContaining(['Ingress', 'Egress']));
    const [c] = deployment('gateway').spec.template.spec.containers as Json[];
    const sources: string[] = [];
    for (const rule of gateway.spec.ingress as Json[]) {
      // An empty `from` admits every source, empty `ports` every port.
      expect(rule.from?.length).toBeGreaterThan(0);
      for (const peer of rule.from as Json[]) {
        expect(peer.ipBlock).toBeUndefined();
        expect(Object.keys(peer.podSelector?.matchLabels ?? {}).length).toBeGreaterThan(0);
        sources.push(peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']);
      }
      expect((rule.ports as Json[]).map((p) => p.port)).toEqual(['http']);
      expect((c.ports as Json[]).map((p) => p.name)).toContain('http');
    }
    expect(sources.sort()).toEqual(['ingress-nginx', 'monitoring']);
    const prometheus = gateway.spec.ingress
      .flatMap((rule: Json) => rule.from as Json[])
      .find((peer: Json) => peer.podSelector.matchLabels['app.kubernetes.io/name'] === 'prometheus');
    for (const name of ['auth', 'message', 'search']) {
      const policy = policyOf(name);
      expect({ name, types: policy.spec.policyTypes, ingress: policy.spec.ingress }).toEqual({
        name,
        types: expect.arrayContaining(['Ingress', 'Egress']),
        ingress: [{ from: [prometheus], ports: [{ port: 'ops', protocol: 'TCP' }] }],
      });
    }
  });

  it('lets every service reach DNS and NATS, auth and message MongoDB too, and nothing else', () => {
    const [cm] = ofKind('ConfigMap');
    const natsPorts = [...new Set((cm.data.NATS_URL as string).split(',').map((u) => Number(new URL(u).port)))];
    expect(natsPorts).toEqual([4222]);
    const wanted: Record<string, number[]> = {
      gateway: [53, 4222],
      auth: [53, 4222, 27017],
      message: [53, 4222, 27017],
      search: [53, 4222],
    };
    for (const [name, ports] of Object.entries(wanted)) {
      const rules = policyOf(name).spec.egress as Json[];
      for (const rule of rules) {
        // An empty `to` allows every destination, empty `ports` every port.
        expect({ name, to: rule.to?.length > 0, ports: rule.ports?.length > 0 }).toEqual({
          name,
          to: true,
          ports: true,
        });
      }
      const allowed = [...new Set(rules.flatMap((r) => (r.ports as Json[]).map((p) => p.port as number)))];
      expect({ name, allowed: allowed.sort((a, b) => a - b) }).toEqual({ name, allowed: ports });
      const dns = rules.filter((r) => (r.ports as Json[]).some((p) => p.port === 53));
      const dnsProtocols = dns.flatMap((r) => (r.ports as Json[]).map((p) => p.protocol as string));
      expect({ name, dns: dnsProtocols.sort() }).toEqual({ name, dns: ['TCP', 'UDP'] });
    }
  });

  it('keeps each search pod on its own volume, named after the pod (its index file and JetStream consumer)', () => {
    const search = deployment('search');
    const [c] = search.spec.template.spec.containers as Json[];
    const env = Object.fromEntries((c.env as Json[]).map((e) => [e.name, e.value ?? e.valueFrom?.fieldRef?.fieldPath]));
    expect(env).toMatchObject({ APP: 'search', INSTANCE_NAME: 'metadata.name', SEARCH_DATA_DIR: '/data/search' });
    const claim = (search.spec.volumeClaimTemplates as Json[])[0];
    expect((c.volumeMounts as Json[]).find((m) => m.mountPath === '/data/search')?.name).toBe(claim.metadata.name);
    expect(claim.spec.accessModes).toEqual(['ReadWriteOnce']);
  });

  it('reads every variable the Deployments take from the ConfigMap or a Secret it names', () => {
    const [cm] = ofKind('ConfigMap');
    for (const d of workloads()) {
      for (const c of d.spec.template.spec.containers as Json[]) {
        for (const from of c.envFrom ?? []) expect(from.configMapRef.name).toBe(cm.metadata.name);
      }
    }
    for (const value of Object.values<unknown>(cm.data)) expect(typeof value).toBe('string');
    expect(existsSync(join(dirname(dir), 'Dockerfile'))).toBe(true);
  });
});
