#!/usr/bin/env node
// npm run bench -- [--gateways 2] [--clients 200] [--rooms 10] [--rate 1000 | --rates 500,1000,2000]
//                  [--duration 20] [--warmup 5] [--floor] [--p99-limit 100]
//   npm run bench -- --storm [--clients 1000] [--rooms 100] [--rate 100] [--duration 10]
//                  [--url http://a:3000,http://b:3001] [--profile DIR] [--env NAME=value …] [--timeline]
//
// Message throughput through the whole stack. Without --url it starts a private stack (NATS,
// FerretDB or MONGO_URL, auth, message, search, --gateways gateways); with --url it loads running
// gateways. Clients are spread round-robin over the gateways within every room. One JSON line per
// rate on stdout: sent, acked, delivered, missing, duplicates, out of order, ack and e2e
// p50/p99/max, delivered/s, each process's CPU, and the generator's own CPU and event-loop delay
// (a saturated generator measures itself).
//
// --floor runs the same load (same rates, same clients) against the floor as well: as many bare
// Socket.IO processes linked by NATS, no auth, no store (scripts/bench/floor). A last line then
// compares them: at each rate the project's and the floor's delivered/s and e2e p99, and the
// highest rate each kept clean (nothing lost, duplicated or out of order) under --p99-limit ms,
// with the ratio of their deliveries/s there.
//
// --env sets a variable for every process of the private stack (repeatable): an A/B of a setting,
// `--env HANDSHAKE_CONCURRENCY=1000000`.
//
// --storm: the reconnect storm (scripts/bench/storm.mjs): a gateway holding half the clients is
// killed with SIGKILL; its clients come back on the other one and re-join with `afterSeq`.
import { parseArgs } from 'node:util';
import { BenchStack, FloorStack, cpuPercent, cpuSeconds, log, percentile, prepare } from './stack-runner.mjs';
import { disconnectAll, runLoad, setUp } from './load.mjs';
import { storm } from './storm.mjs';

const { values } = parseArgs({
  options: {
    gateways: { type: 'string', default: '2' },
    /** Message-service instances (one queue group), as `npm start`'s MESSAGE_INSTANCES. */
    'message-instances': { type: 'string', default: '1' },
    clients: { type: 'string' },
    rooms: { type: 'string' },
    rate: { type: 'string' },
    rates: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string', default: '5' },
    floor: { type: 'boolean', default: false },
    storm: { type: 'boolean', default: false },
    'p99-limit': { type: 'string', default: '100' },
    url: { type: 'string' },
    'mongo-url': { type: 'string', default: process.env.MONGO_URL },
    /** Writes each service's CPU profile (node --cpu-prof) into this directory when the run ends. */
    profile: { type: 'string' },
    env: { type: 'string', multiple: true, default: [] },
    /** Logs each second's deliveries (after the warm-up) and their e2e p50/p99/max: when in the run a p99 was made. */
    timeline: { type: 'boolean', default: false },
  },
});
const positive = (name, v) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
};
// The storm's load differs from the throughput runs': its own defaults.
// The storm: rooms of 20 (each of 1,000 clients in 2 of 100 rooms), as teams chat.
const defaults = values.storm
  ? { clients: '1000', rooms: '100', rate: '100', duration: '10' }
  : { clients: '200', rooms: '10', rate: '1000', duration: '20' };
for (const [name, value] of Object.entries(defaults)) values[name] ??= value;
const num = (name) => positive(name, values[name]);
const rates = (values.rates ?? values.rate).split(',').map((r) => positive('rates', r));
const p99Limit = num('p99-limit');
const appEnv = Object.fromEntries(
  values.env.map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--env takes NAME=value, not ${pair}`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);

/** One line per second of a run's measured part: deliveries heard and their e2e latencies. */
function logWindow({ e2e, elapsedS }) {
  const at = (p) => (e2e.length ? Math.round(percentile(e2e, p)) : 0);
  log(`  ${Math.round(elapsedS)} s: ${e2e.length} delivered, e2e p50 ${at(50)} p99 ${at(99)} max ${at(100)} ms`);
}

/** Runs every rate against one target; returns one result per rate. */
async function measure(target, stack, gatewayUrls) {
  const shape = { gateways: gatewayUrls.length, clients: num('clients'), rooms: num('rooms') };
  log(`${target}: setting up ${JSON.stringify(shape)}…`);
  const { sockets } = await setUp({ ...shape, gatewayUrls, floor: target === 'floor', log });
  const results = [];
  try {
    for (const rate of rates) {
      log(`${target}: sending ${rate} msg/s for ${values.warmup} s warm-up + ${values.duration} s…`);
      const before = stack && cpuSeconds(stack.pids());
      const started = performance.now();
      const result = await runLoad({
        sockets,
        rate,
        durationS: num('duration'),
        warmupS: Number(values.warmup),
        ...(values.timeline ? { windowS: 1, onWindow: logWindow } : {}),
      });
      // Each process's CPU over the run (warm-up and drain included), in % of one core.
      const cpu = stack && cpuPercent(before, cpuSeconds(stack.pids()), (performance.now() - started) / 1000);
      const line = {
        target,
        ...shape,
        rate,
        duration_s: num('duration'),
        ...result,
        ...(cpu ? { process_cpu_pct: cpu } : {}),
      };
      console.log(JSON.stringify(line));
      results.push(line);
    }
  } finally {
    disconnectAll(sockets);
  }
  return results;
}

async function project() {
  if (values.url) {
    return measure(
      'project',
      null,
      values.url.split(',').map((u) => u.trim().replace(/\/+$/, '')),
    );
  }
  prepare.build();
  const stack = new BenchStack({
    gateways: num('gateways'),
    messages: num('message-instances'),
    mongoUrl: values['mongo-url'],
    env: appEnv,
    nodeArgs: profileArgs(),
  });
  try {
    await stack.startInfra();
    await stack.startServices();
    return await measure('project', stack, stack.gatewayUrls);
  } finally {
    await stack.stop();
  }
}

async function floor() {
  const stack = new FloorStack({ processes: num('gateways') });
  try {
    await stack.start();
    return await measure('floor', stack, stack.gatewayUrls);
  } finally {
    await stack.stop();
  }
}

const profileArgs = () => (values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : []);

const clean = (r) => r.missing === 0 && r.duplicates === 0 && r.out_of_order === 0 && r.failed === 0;

/** The highest rate run clean with e2e p99 under the limit, and its deliveries/s. */
function best(results) {
  const ok = results.filter((r) => clean(r) && r.e2e_p99_ms < p99Limit);
  if (ok.length === 0) return null;
  const top = ok.reduce((a, b) => (b.rate > a.rate ? b : a));
  return { rate: top.rate, delivered_per_s: top.delivered_per_s, e2e_p99_ms: top.e2e_p99_ms };
}

async function stormRun() {
  prepare.build();
  const stack = new BenchStack({
    gateways: 2,
    messages: num('message-instances'),
    mongoUrl: values['mongo-url'],
    env: appEnv,
    nodeArgs: profileArgs(),
  });
  try {
    await stack.startInfra();
    await stack.startServices();
    const shape = { clients: num('clients'), rooms: num('rooms'), rate: num('rate'), durationS: num('duration') };
    log(`storm: ${JSON.stringify(shape)}`);
    const result = await storm({ stack, ...shape, log });
    console.log(JSON.stringify({ storm: true, ...result }));
  } finally {
    await stack.stop();
  }
}

async function main() {
  if (values.storm) return stormRun();
  const mine = await project();
  if (!values.floor) return;
  const theirs = await floor();
  const [a, b] = [best(mine), best(theirs)];
  console.log(
    JSON.stringify({
      compare: 'project vs floor',
      p99_limit_ms: p99Limit,
      by_rate: rates.map((rate, i) => ({
        rate,
        project: { delivered_per_s: mine[i].delivered_per_s, e2e_p99_ms: mine[i].e2e_p99_ms, clean: clean(mine[i]) },
        floor: {
          delivered_per_s: theirs[i].delivered_per_s,
          e2e_p99_ms: theirs[i].e2e_p99_ms,
          clean: clean(theirs[i]),
        },
        delivered_ratio: Math.round((mine[i].delivered_per_s / theirs[i].delivered_per_s) * 100) / 100,
      })),
      project_best: a,
      floor_best: b,
      ratio_at_limit: a && b ? Math.round((a.delivered_per_s / b.delivered_per_s) * 100) / 100 : null,
    }),
  );
}

main().catch((err) => {
  console.error(`[bench] ${err.stack || err.message}`);
  process.exit(1);
});
